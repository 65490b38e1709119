package io.gistgrep.messaging;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.db.outbox.OutboxRepository;
import io.gistgrep.testing.TestServices;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.support.ScheduledTaskObservationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trace context across the outbox, with a real tracer (Micrometer Tracing's
 * OpenTelemetry bridge) on this run's database and virtual host: the row keeps the
 * writer's {@code traceparent}, and the relay, on its own thread, publishes a message
 * whose {@code traceparent} continues that trace.
 */
@SpringBootTest
class OutboxTraceTests {

	/** W3C: version, trace id, parent span id, flags. */
	private static final String TRACEPARENT = "00-([0-9a-f]{32})-([0-9a-f]{16})-0[0-9a-f]";

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Autowired
	Outbox outbox;

	@Autowired
	OutboxRepository rows;

	@Autowired
	ObservationRegistry observations;

	@Autowired
	Tracer tracer;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	OutboxRelay relay;

	@Test
	void aRowWrittenInATraceStoresItsTraceparentAndItsMessageContinuesThatTrace() {
		UUID jobId = UUID.randomUUID();
		String traceId;
		String writerSpanId;
		Observation submission = Observation.start("test.submission", this.observations);
		try (Observation.Scope scope = submission.openScope()) {
			traceId = this.tracer.currentSpan().context().traceId();
			writerSpanId = this.tracer.currentSpan().context().spanId();
			this.transaction.executeWithoutResult((status) -> this.outbox.add(Queues.START_JOB, new StartJob(jobId)));
		}
		finally {
			submission.stop();
		}

		String stored = traceparentOfRowFor(jobId);
		assertThat(stored).matches(TRACEPARENT);
		assertThat(stored.split("-")[1]).as("the stored trace id").isEqualTo(traceId);
		assertThat(stored.split("-")[2]).as("a span of its own, under the writer's").isNotEqualTo(writerSpanId);

		Message message = received(Queues.START_JOB, jobId);
		Object header = message.getMessageProperties().getHeader("traceparent");
		assertThat(header).isInstanceOf(String.class);
		String published = (String) header;
		assertThat(published).matches(TRACEPARENT);
		assertThat(published.split("-")[1]).as("the message's trace id").isEqualTo(traceId);
		assertThat(published.split("-")[2]).as("the publish's own span")
			.isNotEqualTo(stored.split("-")[2])
			.isNotEqualTo(writerSpanId);
	}

	@Test
	void everyMessageOfAFanOutRowContinuesTheWritersTraceThroughOneSpanForTheFanOut() {
		UUID jobId = UUID.randomUUID();
		List<ScanGist> scans = List.of(new ScanGist(jobId, "a"), new ScanGist(jobId, "b"), new ScanGist(jobId, "c"));
		String traceId;
		Observation page = Observation.start("test.page", this.observations);
		try (Observation.Scope scope = page.openScope()) {
			traceId = this.tracer.currentSpan().context().traceId();
			this.transaction.executeWithoutResult((status) -> this.outbox.addAll(Queues.SCAN_GIST, scans));
		}
		finally {
			page.stop();
		}

		List<Message> mine = new ArrayList<>();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			mine.addAll(receiveFor(Queues.SCAN_GIST, jobId));
			assertThat(mine).hasSize(3);
		});
		assertThat(mine)
			.allSatisfy((message) -> assertThat((String) message.getMessageProperties().getHeader("traceparent"))
				.matches(TRACEPARENT)
				.contains("-" + traceId + "-"));
		String first = mine.getFirst().getMessageProperties().getHeader("traceparent");
		assertThat(mine).extracting((message) -> (String) message.getMessageProperties().getHeader("traceparent"))
			.as("one span for the fan-out, not one per message")
			.containsOnly(first);
	}

	@Test
	void aRowWrittenOutsideAnyTraceStoresNoneAndIsStillPublished() {
		UUID jobId = UUID.randomUUID();

		this.transaction.executeWithoutResult((status) -> this.outbox.add(Queues.START_JOB, new StartJob(jobId)));

		assertThat(traceparentOfRowFor(jobId)).isNull();
		assertThat(received(Queues.START_JOB, jobId).getBody()).asString(StandardCharsets.UTF_8)
			.contains(jobId.toString());
	}

	@Test
	void theRelaysScheduledPollIsNotObservedWhileOtherScheduledRunsAre() throws NoSuchMethodException {
		Method poll = OutboxRelay.class.getDeclaredMethod("poll");
		Method other = Object.class.getDeclaredMethod("toString");
		Observation polling = Observation.start("tasks.scheduled.execution",
				() -> new ScheduledTaskObservationContext(this.relay, poll), this.observations);
		Observation running = Observation.start("tasks.scheduled.execution",
				() -> new ScheduledTaskObservationContext(this, other), this.observations);
		polling.stop();
		running.stop();

		assertThat(polling.isNoop()).isTrue();
		assertThat(running.isNoop()).isFalse();
	}

	private @Nullable String traceparentOfRowFor(UUID jobId) {
		return this.jdbc.sql("SELECT traceparent FROM outbox WHERE payload LIKE :id")
			.param("id", "%" + jobId + "%")
			.query((rs, row) -> rs.getString(1))
			.list()
			.getFirst();
	}

	private Message received(String queue, UUID jobId) {
		List<Message> mine = new ArrayList<>();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			mine.addAll(receiveFor(queue, jobId));
			assertThat(mine).hasSize(1);
		});
		return mine.getFirst();
	}

	private List<Message> receiveFor(String queue, UUID jobId) {
		List<Message> mine = new ArrayList<>();
		Message message;
		while ((message = this.rabbit.receive(queue)) != null) {
			if (new String(message.getBody(), StandardCharsets.UTF_8).contains(jobId.toString())) {
				mine.add(message);
			}
		}
		return mine;
	}

}
