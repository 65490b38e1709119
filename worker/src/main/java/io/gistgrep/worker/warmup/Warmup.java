package io.gistgrep.worker.warmup;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
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
 * The steps, each on made-up data and none writing anything: the message converter (each
 * task's record to a message and back), the JDBC read path (the status of a job that does
 * not exist), the Redis pool (its connections opened and pinged), then the scanner
 * ({@link ScannerExercise}) for what is left of {@link WarmupProperties#budget()}. A step
 * that fails is logged and skipped: a warm-up never stops a start (a broker or Redis
 * outage is the rest of the worker's to handle).
 */
@Component
class Warmup implements SmartLifecycle {

	/**
	 * After the web server (whose phase is {@code DEFAULT_PHASE - 2048}), before the
	 * listener containers ({@code Integer.MAX_VALUE}).
	 */
	static final int PHASE = Integer.MAX_VALUE - 1024;

	/** Reads of the JDBC path: enough for the JIT to compile it. */
	private static final int JDBC_READS = 200;

	/** Round trips of each task record through the message converter. */
	private static final int CONVERSIONS = 500;

	private static final Logger log = LoggerFactory.getLogger(Warmup.class);

	private final WarmupProperties properties;

	private final MessageConverter converter;

	private final JobRepository jobs;

	private final ObjectProvider<RedisConnectionFactory> redis;

	private final ObjectProvider<DataRedisProperties> redisProperties;

	private volatile boolean running;

	Warmup(WarmupProperties properties, MessageConverter converter, JobRepository jobs,
			ObjectProvider<RedisConnectionFactory> redis, ObjectProvider<DataRedisProperties> redisProperties) {
		this.properties = properties;
		this.converter = converter;
		this.jobs = jobs;
		this.redis = redis;
		this.redisProperties = redisProperties;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.properties.enabled()) {
			run();
		}
	}

	/** Runs every step within about the budget; public for tests and benchmarks. */
	void run() {
		long start = System.nanoTime();
		long deadline = start + this.properties.budget().toNanos();
		List<String> done = new ArrayList<>();
		step("message converter", done, this::conversions);
		step("JDBC", done, this::jdbc);
		step("Redis", done, this::redis);
		step("scanner", done, () -> scanner(deadline));
		log.info("Warm-up done in {} ms: {}", Duration.ofNanos(System.nanoTime() - start).toMillis(),
				String.join("; ", done));
	}

	private void step(String name, List<String> done, Step step) {
		long start = System.nanoTime();
		try {
			String what = step.run();
			done.add(name + " " + what + " (" + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms)");
		}
		catch (RuntimeException ex) {
			log.warn("Warm-up: the {} step failed, skipped: {}", name, ex.toString());
			done.add(name + " failed");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			done.add(name + " interrupted");
		}
	}

	private String conversions() {
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
		return CONVERSIONS * tasks.size() + " round trips";
	}

	private String jdbc() {
		UUID nobody = UUID.randomUUID();
		for (int i = 0; i < JDBC_READS; i++) {
			if (this.jobs.status(nobody).isPresent()) {
				throw new IllegalStateException("A job with a random id exists: " + nobody);
			}
		}
		return JDBC_READS + " reads";
	}

	/**
	 * Opens as many connections as the pool holds, at once (one at a time would reuse the
	 * first), and pings each.
	 */
	private String redis() throws InterruptedException {
		RedisConnectionFactory factory = this.redis.getIfAvailable();
		if (factory == null) {
			return "none";
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
		return (size - opened.getCount()) + " of " + size + " connections";
	}

	private String scanner(long deadline) {
		ScannerExercise exercise = new ScannerExercise(ScanLimits.DEFAULTS);
		int passes = 0;
		do {
			exercise.pass();
			passes++;
		}
		while (System.nanoTime() < deadline);
		return passes + " passes, " + exercise.bytesScanned() / 1024 + " KB, " + exercise.matchedFiles()
				+ " matching files";
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

	@FunctionalInterface
	private interface Step {

		String run() throws InterruptedException;

	}

}
