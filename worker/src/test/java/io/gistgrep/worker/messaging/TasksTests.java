package io.gistgrep.worker.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.gistgrep.messaging.ConfirmedPublisher;
import io.gistgrep.common.task.Queues;
import io.gistgrep.messaging.Topology;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.BrokerTesting;
import io.gistgrep.worker.github.GitHubTesting;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retry and park policy, on this run's RabbitMQ virtual host: what a task leaves in
 * the delay queues.
 */
class TasksTests {

	private static CachingConnectionFactory connections;

	private static RabbitTemplate template;

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final Tasks tasks = new Tasks(new ConfirmedPublisher(template),
			new WorkerProperties(4, List.of(Duration.ofSeconds(1), Duration.ofSeconds(5)), Duration.ofSeconds(30),
					new WorkerProperties.Scan(4, 50, Duration.ofMillis(50), 100, 300)),
			this.meters);

	private final String id = UUID.randomUUID().toString();

	@BeforeAll
	static void connect() {
		Map<String, String> services = TestServices.get().properties();
		connections = BrokerTesting.connections(services);
		BrokerTesting.declareTopology(connections);
		template = new RabbitTemplate(connections);
		template.setMandatory(true);
	}

	@AfterAll
	static void disconnect() {
		connections.destroy();
	}

	private Message task(Map<String, Object> headers) {
		MessageProperties properties = new MessageProperties();
		properties.setReceivedRoutingKey(Queues.SCAN_GIST);
		headers.forEach(properties::setHeader);
		return MessageBuilder.withBody(this.id.getBytes(StandardCharsets.UTF_8)).andProperties(properties).build();
	}

	/**
	 * This test's copy in a delay queue, once it is there; other tests' copies are put
	 * back. Polled often: a copy leaves the 1 s tier after a second.
	 */
	private Message deferred(Duration tier) {
		AtomicReference<Message> mine = new AtomicReference<>();
		List<Message> others = new ArrayList<>();
		try {
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
				Message message;
				while ((message = template.receive(Topology.delayExchange(tier))) != null) {
					if (new String(message.getBody(), StandardCharsets.UTF_8).equals(this.id)) {
						mine.set(message);
						return true;
					}
					others.add(message);
				}
				return false;
			});
			return mine.get();
		}
		finally {
			others.forEach((other) -> template.send(Topology.delayExchange(tier), Queues.SCAN_GIST, other));
		}
	}

	@Test
	void aRateLimitedTaskIsParkedUntilTheResetWithoutCountingAnAttempt() {
		Instant reset = Instant.now().plusSeconds(50);
		AtomicInteger given = new AtomicInteger();

		AtomicReference<Instant> told = new AtomicReference<>();

		this.tasks.run(task(Map.of(Tasks.ATTEMPT, 1)), () -> {
			throw GitHubTesting.rateLimited(reset);
		}, (ex) -> given.incrementAndGet(), told::set);

		assertThat(told).as("the job is told until when its work waits").hasValue(reset);
		Message parked = deferred(Duration.ofSeconds(30));
		assertThat(parked.getMessageProperties().<Object>getHeader(Tasks.ATTEMPT)).isEqualTo(1);
		assertThat(parked.getMessageProperties().<Object>getHeader(Tasks.NOT_BEFORE)).isEqualTo(reset.toEpochMilli());
		assertThat(parked.getMessageProperties().<Object>getHeader(Tasks.PARKED_SINCE)).isNotNull();
		assertThat(given).hasValue(0);
		assertThat(this.meters.counter("gistgrep.tasks.parked", "queue", Queues.SCAN_GIST).count()).isOne();
	}

	@Test
	void aBoundedParkCountsItsParksInARowGrowsItsWaitAndIsGivenUpAfterTheLast() {
		Instant start = Instant.now();
		AtomicReference<RuntimeException> given = new AtomicReference<>();
		RuntimeException limited = new Bounded(start);

		this.tasks.run(task(Map.of(Tasks.ATTEMPT, 1, Tasks.PARKS, 1)), () -> {
			throw limited;
		}, given::set);

		Message parked = deferred(Duration.ofSeconds(1));
		assertThat(parked.getMessageProperties().<Object>getHeader(Tasks.PARKS)).isEqualTo(2);
		assertThat(parked.getMessageProperties().<Object>getHeader(Tasks.NOT_BEFORE))
			.isEqualTo(start.plusSeconds(2).toEpochMilli());
		assertThat(parked.getMessageProperties().<Object>getHeader(Tasks.ATTEMPT)).isEqualTo(1);
		assertThat(given).hasNullValue();

		this.tasks.run(task(Map.of(Tasks.PARKS, 2)), () -> {
			throw limited;
		}, given::set);
		assertThat(given).hasValue(limited);
		assertThat(this.meters.counter("gistgrep.tasks.given-up", "queue", Queues.SCAN_GIST).count()).isOne();
	}

	/** A failure that parks at most twice in a row, a second longer each time. */
	private static final class Bounded extends RuntimeException implements RetryAt {

		private final Instant from;

		Bounded(Instant from) {
			super("bounded");
			this.from = from;
		}

		@Override
		public Instant retryAt() {
			return this.from;
		}

		@Override
		public int maxParks() {
			return 2;
		}

		@Override
		public Instant retryAt(int parks) {
			return this.from.plusSeconds(parks);
		}

	}

	@Test
	void aFailedTaskIsRetriedLaterWithBackoffAndGivenUpAfterTheLastAttempt() {
		Instant before = Instant.now();
		AtomicReference<RuntimeException> given = new AtomicReference<>();

		this.tasks.run(task(Map.of(Tasks.ATTEMPT, 1)), () -> {
			throw GitHubTesting.transientFailure();
		}, given::set);

		// A retry waits in the tier of its nominal delay, 5 s, jitter or not.
		Message retry = deferred(Duration.ofSeconds(5));
		assertThat(retry.getMessageProperties().<Object>getHeader(Tasks.ATTEMPT)).isEqualTo(2);
		long notBefore = ((Number) retry.getMessageProperties().getHeader(Tasks.NOT_BEFORE)).longValue();
		assertThat(notBefore - before.toEpochMilli()).as("5 s and up to 50% jitter").isBetween(5000L, 8000L);
		assertThat(given.get()).isNull();

		// The last attempt, once due.
		this.tasks.run(task(Map.of(Tasks.ATTEMPT, 2)), () -> {
			throw GitHubTesting.transientFailure();
		}, given::set);

		assertThat(given.get()).hasMessage("502 in a test");
		assertThat(this.meters.counter("gistgrep.tasks.given-up", "queue", Queues.SCAN_GIST).count()).isOne();
	}

	@Test
	void aParkedTaskThatRunsRecordsTheTimeItWasParked() {
		AtomicInteger runs = new AtomicInteger();
		long since = Instant.now().minusSeconds(12).toEpochMilli();

		this.tasks.run(task(Map.of(Tasks.PARKED_SINCE, since)), runs::incrementAndGet, (ex) -> {
		});

		assertThat(runs).hasValue(1);
		assertThat(this.meters.get("gistgrep.tasks.parked.time").timer().totalTime(TimeUnit.SECONDS))
			.isGreaterThanOrEqualTo(12);
	}

	@Test
	void whetherATaskIsDueNowIsToldWithoutDeferringIt() {
		Message later = task(Map.of(Tasks.NOT_BEFORE, Instant.now().plusSeconds(3).toEpochMilli()));
		Message now = task(Map.of(Tasks.NOT_BEFORE, Instant.now().toEpochMilli()));

		assertThat(this.tasks.dueNow(later)).isFalse();
		assertThat(this.tasks.dueNow(now)).isTrue();
		assertThat(this.tasks.dueNow(task(Map.of()))).isTrue();
		assertThat(this.tasks.due(now)).as("and due() agrees").isTrue();
	}

	@Test
	void aTaskThatIsNotDueYetIsDeferredAgainWithoutRunning() {
		AtomicInteger runs = new AtomicInteger();
		Instant due = Instant.now().plusSeconds(3);

		this.tasks.deferUntil(task(Map.of(Tasks.ATTEMPT, 2)), due);
		Message first = deferred(Duration.ofSeconds(1));
		this.tasks.run(first, runs::incrementAndGet, (ex) -> {
		});

		assertThat(runs).hasValue(0);
		Message again = deferred(Duration.ofSeconds(1));
		assertThat(again.getMessageProperties().<Object>getHeader(Tasks.NOT_BEFORE)).isEqualTo(due.toEpochMilli());
		assertThat(again.getMessageProperties().<Object>getHeader(Tasks.ATTEMPT)).isEqualTo(2);
	}

}
