package io.gistgrep.api.warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.gistgrep.api.job.SubmissionRehearsal;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.messaging.BrokerExercise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Warms the api up at start-up, after its web server starts and before it reports ready
 * (readiness follows the context's refresh, which waits for every lifecycle's start). On
 * 2 cores, the first job after a start took the api 0.7-0.8 s of CPU against 0.2-0.3 s
 * for the next, most of it loading and compiling what a submission, a poll and the
 * relay's first publish run, while the job's worker waited for the same cores.
 * <p>
 * The steps, in rounds until {@link WarmupProperties#budget()} is spent (each at least
 * once, however long it takes): a submission and a poll rehearsed and rolled back
 * ({@link SubmissionRehearsal}), and a round trip of start tasks through the broker, sent
 * with confirms to a queue of the warm-up's own ({@link BrokerExercise}). A step that
 * fails is logged and left out: a warm-up never stops a start (an outage is the rest of
 * the api's to handle, with 503s).
 */
@Component
class Warmup implements SmartLifecycle {

	/** After the web server (whose phase is {@code DEFAULT_PHASE - 2048}). */
	static final int PHASE = Integer.MAX_VALUE - 1024;

	private static final Logger log = LoggerFactory.getLogger(Warmup.class);

	private final WarmupProperties properties;

	private final SubmissionRehearsal rehearsal;

	private final MessageConverter converter;

	private final ObjectProvider<AmqpAdmin> admin;

	private final ObjectProvider<ConnectionFactory> broker;

	private volatile boolean running;

	private int rounds;

	private final List<String> failed = new ArrayList<>();

	Warmup(WarmupProperties properties, SubmissionRehearsal rehearsal, MessageConverter converter,
			ObjectProvider<AmqpAdmin> admin, ObjectProvider<ConnectionFactory> broker) {
		this.properties = properties;
		this.rehearsal = rehearsal;
		this.converter = converter;
		this.admin = admin;
		this.broker = broker;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.properties.enabled()) {
			run();
		}
	}

	private void run() {
		long start = System.nanoTime();
		long deadline = start + this.properties.budget().toNanos();
		Map<String, Runnable> steps = new LinkedHashMap<>();
		steps.put("rehearsed submission", this.rehearsal::round);
		AmqpAdmin admin = this.admin.getIfAvailable();
		ConnectionFactory connections = this.broker.getIfAvailable();
		BrokerExercise exercise = (admin != null && connections != null)
				? new BrokerExercise(admin, connections, this.converter, StartJob::new) : null;
		if (exercise != null) {
			steps.put("broker", exercise::round);
		}
		do {
			for (Map.Entry<String, Runnable> step : new ArrayList<>(steps.entrySet())) {
				try {
					step.getValue().run();
				}
				catch (RuntimeException ex) {
					log.warn("Warm-up: the {} step failed, skipped: {}", step.getKey(), ex.toString());
					this.failed.add(step.getKey());
					steps.remove(step.getKey());
				}
			}
			this.rounds++;
		}
		while (System.nanoTime() < deadline && !steps.isEmpty());
		log.info(
				"Warm-up done in {} ms: {} rounds of a rehearsed submission and poll ({} done, rolled back) and "
						+ "the broker ({} start tasks sent and back)",
				Duration.ofNanos(System.nanoTime() - start).toMillis(), this.rounds, this.rehearsal.rounds(),
				(exercise != null) ? exercise.received() : 0);
	}

	/** Rounds run, 0 when the warm-up is off. */
	int rounds() {
		return this.rounds;
	}

	/** The steps that failed and were left out. */
	List<String> failed() {
		return List.copyOf(this.failed);
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
