package io.gistgrep.worker.warmup;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.gistgrep.common.task.ListPage;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.scanner.ScanLimits;
import io.gistgrep.worker.messaging.ListenerContainers;
import io.gistgrep.worker.messaging.ScanConsumers;
import io.gistgrep.worker.scan.ScanRehearsal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Warms the worker up at start-up, before its RabbitMQ listeners start (a lower
 * {@link #PHASE} than theirs) and so before the worker reports ready: a cold JVM ran the
 * first job after a start about four times slower than the next, interpreting the
 * scanner's loops, loading classes and opening connections as it went.
 * <p>
 * The steps, each on made-up data, and none leaving anything that a job or an operator
 * would see: the Redis pool (its connections opened and pinged), then rounds of a
 * rehearsed job ({@link ScanRehearsal}: a job's listing, fetches, scans, caches and
 * records, against a loopback stand-in of GitHub, rolled back; not while Redis is away),
 * the message converter (each task's record to a message and back), the JDBC read path
 * (the status of a job that does not exist), the scanner ({@link ScannerExercise}) and
 * the deliveries ({@link DeliveryExercise}: a fan-out of scan tasks and a few start and
 * listing tasks, published as the relay publishes, to queues of the warm-up's own, and
 * delivered through containers of the worker's own factories) until
 * {@link WarmupProperties#budget()} is spent; every step runs at least once, however long
 * it takes. A step that fails is logged and left out: a warm-up never stops a start (a
 * database or Redis outage is the rest of the worker's to handle).
 */
@Component
class Warmup implements SmartLifecycle {

	/**
	 * After the web server (whose phase is {@code DEFAULT_PHASE - 2048}), before the
	 * listener containers ({@code Integer.MAX_VALUE}).
	 */
	static final int PHASE = Integer.MAX_VALUE - 1024;

	/** Reads of the JDBC path in a round. */
	static final int JDBC_READS = 20;

	/** Round trips of each task record through the message converter in a round. */
	static final int CONVERSIONS = 50;

	private static final Logger log = LoggerFactory.getLogger(Warmup.class);

	private final WarmupProperties properties;

	private final MessageConverter converter;

	private final JobRepository jobs;

	private final ObjectProvider<RedisConnectionFactory> redis;

	private final ObjectProvider<DataRedisProperties> redisProperties;

	private final ObjectProvider<ScanRehearsal> rehearsal;

	private final ObjectProvider<AmqpAdmin> admin;

	private final ObjectProvider<ConnectionFactory> broker;

	private final ApplicationContext context;

	private volatile boolean running;

	private int rehearsedJobs;

	Warmup(WarmupProperties properties, MessageConverter converter, JobRepository jobs,
			ObjectProvider<RedisConnectionFactory> redis, ObjectProvider<DataRedisProperties> redisProperties,
			ObjectProvider<ScanRehearsal> rehearsal, ObjectProvider<AmqpAdmin> admin,
			ObjectProvider<ConnectionFactory> broker, ApplicationContext context) {
		this.properties = properties;
		this.converter = converter;
		this.jobs = jobs;
		this.redis = redis;
		this.redisProperties = redisProperties;
		this.rehearsal = rehearsal;
		this.admin = admin;
		this.broker = broker;
		this.context = context;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.properties.enabled()) {
			run();
		}
	}

	/**
	 * Opens the Redis pool's connections, then runs rounds of the other steps, each a
	 * small batch, until the budget is spent (at least one round): on a busy machine
	 * every path gets some of the time, and the start is held for about the budget,
	 * however slow the steps are.
	 */
	void run() {
		long start = System.nanoTime();
		long deadline = start + this.properties.budget().toNanos();
		Pool redis;
		try {
			redis = redis();
		}
		catch (RuntimeException ex) {
			log.warn("Warm-up: Redis failed, skipped: {}", ex.toString());
			redis = new Pool(0, 0);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		ScannerExercise scanner = new ScannerExercise(ScanLimits.DEFAULTS);
		List<Step> steps = new ArrayList<>(List.of(new Step("message converter", this::conversions),
				new Step("JDBC", this::jdbc), new Step("scanner", scanner::pass)));
		DeliveryExercise deliveries = deliveries();
		if (deliveries != null) {
			steps.add(new Step("deliveries", deliveries::round));
		}
		// Without Redis a rehearsal would only time out on it, call after call.
		ScanRehearsal.Stage stage = (redis.opened() > 0) ? stage() : null;
		if (stage != null) {
			steps.addFirst(new Step("rehearsed job", () -> {
				stage.round();
				this.rehearsedJobs++;
			}));
		}
		int rounds = 0;
		try {
			do {
				steps.removeIf(Step::failed);
				steps.forEach(Step::run);
				rounds++;
			}
			while (System.nanoTime() < deadline && !steps.isEmpty());
		}
		finally {
			if (stage != null) {
				stage.close();
			}
			if (deliveries != null) {
				close(deliveries);
			}
		}
		log.info(
				"Warm-up done in {} ms: Redis {}; {} rounds of a rehearsed job ({} done, {} gists each), "
						+ "the message converter ({} round trips), JDBC ({} reads), the scanner ({} KB, "
						+ "{} matching files) and the deliveries ({} tasks sent and delivered)",
				Duration.ofNanos(System.nanoTime() - start).toMillis(), redis, rounds, this.rehearsedJobs,
				ScanRehearsal.GISTS, rounds * CONVERSIONS * 3, rounds * JDBC_READS, scanner.bytesScanned() / 1024,
				scanner.matchedFiles(), (deliveries != null) ? deliveries.received() : 0);
	}

	/**
	 * The deliveries' step, or null when the worker has no broker (never in production)
	 * or its queues and containers cannot be set up (logged).
	 */
	private @Nullable DeliveryExercise deliveries() {
		AmqpAdmin admin = this.admin.getIfAvailable();
		ConnectionFactory connections = this.broker.getIfAvailable();
		if (admin == null || connections == null) {
			return null;
		}
		try {
			return new DeliveryExercise(admin, connections, this.converter, this.context,
					this.context.getBean(ScanConsumers.FACTORY, SimpleRabbitListenerContainerFactory.class),
					this.context.getBean(ListenerContainers.FACTORY, SimpleRabbitListenerContainerFactory.class));
		}
		catch (RuntimeException ex) {
			log.warn("Warm-up: the deliveries' queues or containers could not be set up, skipped: {}", ex.toString());
			return null;
		}
	}

	private static void close(DeliveryExercise deliveries) {
		try {
			deliveries.close();
		}
		catch (RuntimeException ex) {
			// A queue left in place goes once its consumer does (auto-delete); a consumer
			// that could not be stopped keeps its queue until the worker stops.
			log.warn("Warm-up: the deliveries' containers or queues {} could not all be stopped and deleted",
					deliveries.queues(), ex);
		}
	}

	/** The rehearsal's stand-in and client, or null when it cannot open. */
	private ScanRehearsal.@Nullable Stage stage() {
		ScanRehearsal rehearsal = this.rehearsal.getIfAvailable();
		if (rehearsal == null) {
			return null;
		}
		try {
			return rehearsal.open();
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Warm-up: the rehearsed job could not open its stand-in of GitHub, skipped: {}", ex.toString());
			return null;
		}
	}

	private void conversions() {
		UUID job = UUID.randomUUID();
		List<Object> tasks = List.of(new StartJob(job), new ScanGist(job, "aa5a315d61ae9438b18d", 1),
				new ListPage(job, 2, "https://api.github.com/users/octocat/gists?per_page=100&page=2", 1, false));
		for (int i = 0; i < CONVERSIONS; i++) {
			for (Object task : tasks) {
				Message message = this.converter.toMessage(task, new MessageProperties());
				// As a listener reads it: as the type its method takes.
				message.getMessageProperties().setInferredArgumentType(task.getClass());
				Object back = this.converter.fromMessage(message);
				if (!task.equals(back)) {
					throw new IllegalStateException(task + " came back as " + back);
				}
			}
		}
	}

	private void jdbc() {
		UUID nobody = UUID.randomUUID();
		for (int i = 0; i < JDBC_READS; i++) {
			if (this.jobs.status(nobody).isPresent()) {
				throw new IllegalStateException("A job with a random id exists: " + nobody);
			}
		}
	}

	/**
	 * Opens as many connections as the pool holds, at once (one at a time would reuse the
	 * first), and pings each.
	 */
	private Pool redis() throws InterruptedException {
		RedisConnectionFactory factory = this.redis.getIfAvailable();
		if (factory == null) {
			return new Pool(0, 0);
		}
		DataRedisProperties properties = this.redisProperties.getIfAvailable();
		int size = (properties != null) ? properties.getJedis().getPool().getMaxActive() : 8;
		CountDownLatch opened = new CountDownLatch(size);
		CountDownLatch done = new CountDownLatch(size);
		for (int i = 0; i < size; i++) {
			Thread.ofVirtual().name("warmup-redis-" + i).start(() -> {
				try (RedisConnection connection = factory.getConnection()) {
					connection.ping();
					opened.countDown();
					// Held until all are open, so that the pool opens a new one for each.
					opened.await(1, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				catch (RuntimeException ex) {
					log.debug("Warm-up: a Redis connection failed: {}", ex.toString());
				}
				finally {
					done.countDown();
				}
			});
		}
		done.await(5, TimeUnit.SECONDS);
		return new Pool((int) (size - opened.getCount()), size);
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

	/** How many of the Redis pool's connections the warm-up opened. */
	private record Pool(int opened, int size) {

		@Override
		public String toString() {
			return (this.size == 0) ? "none" : this.opened + " of " + this.size + " connections";
		}

	}

	/** One step of the rounds; one that fails is logged once and left out after. */
	private static final class Step {

		private final String name;

		private final Runnable work;

		private boolean failed;

		Step(String name, Runnable work) {
			this.name = name;
			this.work = work;
		}

		void run() {
			try {
				this.work.run();
			}
			catch (RuntimeException ex) {
				log.warn("Warm-up: the {} step failed, skipped: {}", this.name, ex.toString());
				this.failed = true;
			}
		}

		boolean failed() {
			return this.failed;
		}

	}

}
