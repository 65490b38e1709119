package io.gistgrep.messaging;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.db.outbox.OutboxMessage;
import io.gistgrep.db.outbox.OutboxRepository;
import io.gistgrep.testing.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scan queue's length limit, set by {@link BrokerPolicies} as a policy on a virtual
 * host of this class's own (20 messages), and the relay's answer to the broker's nacks.
 * Scheduling is off: only commits and the test wake the relay; the poll interval is only
 * the relay's first wait after a refusal here, long enough to see that it waits.
 */
@SpringBootTest(properties = { "gistgrep.broker.scan-queue-max-length=20", "gistgrep.outbox.poll-interval=2s",
		"gistgrep.outbox.max-backoff=4s" })
class ScanQueueLimitTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<String, String> SERVICES = TestServices.get().isolated("scanlimit");

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		SERVICES.forEach((key, value) -> registry.add(key, () -> value));
	}

	@Autowired
	Outbox outbox;

	@Autowired
	OutboxRepository rows;

	@Autowired
	OutboxRelay relay;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	MeterRegistry meters;

	@Test
	void theAppPutsTheLengthLimitAndTheDeadLetterDeliveryLimitOnTheQueuesAsPolicies() {
		this.rabbit.execute((channel) -> channel.queueDeclarePassive(Queues.SCAN_GIST));

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode scan = management("/api/queues/%s/" + Queues.SCAN_GIST);
			assertThat(scan.path("policy").asString()).isEqualTo(BrokerPolicies.SCAN_POLICY);
			assertThat(scan.path("effective_policy_definition").path("max-length").asInt()).isEqualTo(20);
			assertThat(scan.path("effective_policy_definition").path("overflow").asString())
				.isEqualTo("reject-publish");
			JsonNode dead = management("/api/queues/%s/" + Topology.DEAD_LETTER_QUEUE);
			assertThat(dead.path("policy").asString()).isEqualTo(BrokerPolicies.DEAD_POLICY);
			assertThat(dead.path("effective_policy_definition").path("delivery-limit").asInt())
				.isEqualTo(BrokerPolicies.DEAD_DELIVERY_LIMIT);
		});
	}

	@Test
	void aFanOutBeyondTheLimitStaysInTheOutboxWhereTheBrokerRefusedItAndIsSentExactlyOnceAsRoomIsMade() {
		UUID jobId = UUID.randomUUID();
		List<ScanGist> scans = IntStream.range(0, 100).mapToObj((i) -> new ScanGist(jobId, "gist-" + i)).toList();
		double refusedBefore = refused();
		double backoffsBefore = counted("gistgrep.outbox.backoffs");

		this.transaction.executeWithoutResult((status) -> this.outbox.addAll(Queues.SCAN_GIST, scans));

		// The back-off is counted once the pass is over and its transaction committed.
		await().atMost(Duration.ofSeconds(20)).until(() -> counted("gistgrep.outbox.backoffs") > backoffsBefore);
		assertThat(refused()).isGreaterThan(refusedBefore);
		List<OutboxMessage> owed = this.rows.unsent(Queues.SCAN_GIST);
		assertThat(owed).as("the refused part of the fan-out, as one new row").singleElement().satisfies((row) -> {
			assertThat(row.batch()).isTrue();
			assertThat(JSON.readTree(row.payload()).size()).isBetween(1, 100 - 20 + 5);
		});
		int owedCount = JSON.readTree(owed.get(0).payload()).size();
		double afterFirstPass = refused();
		// How many the broker refuses is its own: a quorum queue's length limit is not
		// exact under a burst of confirmed publishes (once at least 50 of the 100 went in
		// against a limit of 20). What the relay owes is exactly what was refused.
		assertThat(afterFirstPass - refusedBefore).as("messages nacked in the first pass, each owed")
			.isEqualTo(owedCount);
		this.relay.drain();
		assertThat(refused()).as("a drain at once after a refusal waits instead of publishing again")
			.isEqualTo(afterFirstPass);

		List<ScanGist> received = new ArrayList<>();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			received.addAll(receiveAll(jobId));
			this.relay.drain();
			assertThat(received).hasSizeGreaterThanOrEqualTo(100);
		});
		assertThat(received).as("every scan once: nothing lost, nothing taken twice")
			.containsExactlyInAnyOrderElementsOf(scans);
		assertThat(this.rows.unsent(Queues.SCAN_GIST)).isEmpty();
		assertThat(refused() - refusedBefore).as("messages nacked").isGreaterThanOrEqualTo(owedCount);
	}

	@Test
	void aFullScanQueueDoesNotHoldBackAJobsStartQueuedBehindMoreThanABatchOfScanRows() {
		UUID jobId = UUID.randomUUID();
		UUID started = UUID.randomUUID();

		this.transaction.executeWithoutResult((status) -> {
			for (int i = 0; i < 120; i++) {
				this.outbox.add(Queues.SCAN_GIST, new ScanGist(jobId, "single-" + i));
			}
			this.outbox.add(Queues.START_JOB, new StartJob(started));
		});

		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			Message start = this.rabbit.receive(Queues.START_JOB);
			assertThat(start).as("the start, published past the scan rows the broker refused").isNotNull();
			assertThat(JSON.readValue(start.getBody(), StartJob.class).jobId()).isEqualTo(started);
		});
		assertThat(this.rows.unsent(Queues.SCAN_GIST)).as("the refused scans wait in the outbox").isNotEmpty();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			receiveAll(jobId);
			this.relay.drain();
			assertThat(this.rows.unsent(Queues.SCAN_GIST)).isEmpty();
		});
		receiveAll(jobId);
	}

	private double refused() {
		return counted("gistgrep.outbox.refused");
	}

	private double counted(String name) {
		return this.meters.counter(name).count();
	}

	private List<ScanGist> receiveAll(UUID jobId) {
		List<ScanGist> all = new ArrayList<>();
		Message message;
		while ((message = this.rabbit.receive(Queues.SCAN_GIST)) != null) {
			ScanGist scan = JSON.readValue(message.getBody(), ScanGist.class);
			if (scan.jobId().equals(jobId)) {
				all.add(scan);
			}
		}
		return all;
	}

	private static JsonNode management(String pathOfVhost) throws IOException, InterruptedException {
		String vhost = URLEncoder.encode(SERVICES.get("spring.rabbitmq.virtual-host"), StandardCharsets.UTF_8);
		String credentials = Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));
		try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			HttpResponse<String> response = http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:15672" + pathOfVhost.formatted(vhost)))
					.header("Authorization", "Basic " + credentials)
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return JSON.readTree(response.body());
		}
	}

}
