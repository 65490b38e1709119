package io.gistgrep.api.warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.gistgrep.api.job.SubmissionRehearsal;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.messaging.BrokerExercise;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Warms the api up at start-up, after its web server starts and before it reports ready
 * (readiness follows the context's refresh, which waits for every lifecycle's start). On
 * 2 cores, the first job after a start took the api 0.6-1.5 s of CPU against 0.15-0.4 s
 * for the next, most of it loading and compiling what a submission, a poll and the
 * relay's first publish run, while the job's worker waited for the same cores; with this
 * warm-up, 0.36-0.49 s.
 * <p>
 * The steps, in rounds until {@link WarmupProperties#budget()} is spent (each at least
 * once, up to {@link #STEP_LIMIT}, however small the budget): a submission and a poll
 * rehearsed and rolled back ({@link SubmissionRehearsal}), and a round trip of start
 * tasks through the broker, sent with confirms to a queue of the warm-up's own
 * ({@link BrokerExercise}). A step that fails, or runs longer than {@link #STEP_LIMIT},
 * is logged and left out: a warm-up never stops a start (an outage is the rest of the
 * api's to handle, with 503s).
 */
@Component
class Warmup implements SmartLifecycle {

	/**
	 * After the web server (whose phase is
	 * {@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE}).
	 */
	static final int PHASE = Integer.MAX_VALUE - 1024;

	/** The longest one run of a step may hold the start. */
	static final Duration STEP_LIMIT = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(Warmup.class);

	private final WarmupProperties properties;

	private final SubmissionRehearsal rehearsal;

	private final MessageConverter converter;

	private final ApplicationContext context;

	private final ObjectProvider<AmqpAdmin> admin;

	private final ObjectProvider<ConnectionFactory> broker;

	private final Duration stepLimit;

	private volatile boolean running;

	private volatile @Nullable BrokerExercise exercise;

	private int rounds;

	private final List<String> failed = new ArrayList<>();

	@Autowired
	Warmup(WarmupProperties properties, SubmissionRehearsal rehearsal, MessageConverter converter,
			ApplicationContext context, ObjectProvider<AmqpAdmin> admin, ObjectProvider<ConnectionFactory> broker) {
		this(properties, rehearsal, converter, context, admin, broker, STEP_LIMIT);
	}

	Warmup(WarmupProperties properties, SubmissionRehearsal rehearsal, MessageConverter converter,
			ApplicationContext context, ObjectProvider<AmqpAdmin> admin, ObjectProvider<ConnectionFactory> broker,
			Duration stepLimit) {
		this.properties = properties;
		this.rehearsal = rehearsal;
		this.converter = converter;
		this.context = context;
		this.admin = admin;
		this.broker = broker;
		this.stepLimit = stepLimit;
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
		if (admin != null && connections != null) {
			this.exercise = new BrokerExercise(admin, connections, this.converter, this.context, StartJob::new);
			steps.put("broker", this.exercise::round);
		}
		do {
			steps.entrySet().removeIf((step) -> {
				boolean leftOut = !runs(step.getKey(), step.getValue());
				if (leftOut) {
					this.failed.add(step.getKey());
				}
				return leftOut;
			});
			this.rounds++;
		}
		while (System.nanoTime() < deadline && !steps.isEmpty());
		log.info(
				"Warm-up done in {} ms: {} rounds of a rehearsed submission and poll ({} done, rolled back) and "
						+ "the broker ({} start tasks sent and back)",
				Duration.ofNanos(System.nanoTime() - start).toMillis(), this.rounds, this.rehearsal.rounds(),
				brokerTasks());
	}

	/**
	 * Runs a step on a thread of its own and waits for it at most {@link #stepLimit}: a
	 * broker that drops packets, or blocks publishers under a memory alarm, would hold
	 * the start for a minute or more, and the api does not need the broker to serve. A
	 * step that takes longer is interrupted and left to end on its own (the broker step's
	 * queue expires unused).
	 * @return whether the step ended well in time
	 */
	private boolean runs(String name, Runnable work) {
		AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();
		Thread thread = Thread.ofVirtual().name("warmup-" + name).start(() -> {
			try {
				work.run();
			}
			catch (RuntimeException ex) {
				failure.set(ex);
			}
		});
		try {
			if (!thread.join(this.stepLimit)) {
				thread.interrupt();
				log.warn("Warm-up: the {} step took longer than {} s, left out", name, this.stepLimit.toSeconds());
				return false;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			thread.interrupt();
			return false;
		}
		RuntimeException ex = failure.get();
		if (ex != null) {
			log.warn("Warm-up: the {} step failed, skipped: {}", name, ex.toString());
			return false;
		}
		return true;
	}

	/** Rounds run, 0 when the warm-up is off. */
	int rounds() {
		return this.rounds;
	}

	/** Start tasks the broker step sent and took back. */
	int brokerTasks() {
		BrokerExercise exercise = this.exercise;
		return (exercise != null) ? exercise.received() : 0;
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
