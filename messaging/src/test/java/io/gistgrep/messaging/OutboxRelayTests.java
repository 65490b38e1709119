package io.gistgrep.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.gistgrep.common.task.ListPage;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.db.outbox.OutboxMessage;
import io.gistgrep.db.outbox.OutboxRepository;
import io.gistgrep.db.outbox.Publication;
import io.gistgrep.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay on this run's RabbitMQ virtual host and database. Scheduling is off here, so
 * only the wake-up after a commit (or a test's own drain) publishes.
 */
@SpringBootTest
class OutboxRelayTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Autowired
	Outbox outbox;

	@Autowired
	OutboxRepository rows;

	@Autowired
	ConfirmedPublisher publisher;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	RabbitProperties rabbitProperties;

	@Test
	void aFanOutRowCommittedInATransactionReachesTheBrokerAsOneMessagePerGist() {
		UUID jobId = UUID.randomUUID();
		List<ScanGist> scans = IntStream.range(0, 100).mapToObj((i) -> new ScanGist(jobId, "gist-" + i)).toList();

		this.transaction.executeWithoutResult((status) -> this.outbox.addAll(Queues.SCAN_GIST, scans));

		List<ScanGist> received = new ArrayList<>();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			received.addAll(receiveAll(Queues.SCAN_GIST, ScanGist.class).stream()
				.filter((scan) -> scan.jobId().equals(jobId))
				.toList());
			assertThat(received).hasSize(100);
		});
		assertThat(received).containsExactlyInAnyOrderElementsOf(scans);
		assertThat(this.rows.unsent(Queues.SCAN_GIST)).isEmpty();
	}

	@Test
	void aRelayConnectsToTheBrokerOnceTheAppIsReadyBeforeItHasAnythingToPublish() {
		CachingConnectionFactory factory = new CachingConnectionFactory(this.rabbitProperties.getHost(),
				this.rabbitProperties.getPort());
		factory.setUsername(this.rabbitProperties.getUsername());
		factory.setPassword(this.rabbitProperties.getPassword());
		factory.setVirtualHost(this.rabbitProperties.getVirtualHost());
		List<Connection> opened = new CopyOnWriteArrayList<>();
		factory.addConnectionListener(opened::add);
		OutboxRelay relay = new OutboxRelay(this.rows, new ConfirmedPublisher(new RabbitTemplate(factory)),
				new OutboxTrace(ObservationRegistry.NOOP),
				new OutboxProperties(Duration.ofSeconds(1), Duration.ofSeconds(30), List.of()),
				new SimpleMeterRegistry());
		try {
			assertThat(opened).isEmpty();

			relay.connectEarly();

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(opened).singleElement().matches(Connection::isOpen));
		}
		finally {
			relay.destroy();
			factory.destroy();
		}
	}

	@Test
	void singleMessagesAreRelayedBeforeFanOutsWrittenEarlierAndEachKindOldestFirst() {
		UUID jobId = UUID.randomUUID();
		List<String> relayed = new ArrayList<>();
		// One transaction, rolled back: the rows are never visible to the app's own
		// relay.
		this.transaction.executeWithoutResult((status) -> {
			this.rows.addBatch(Queues.EXCHANGE, Queues.SCAN_GIST, List.of(new ScanGist(jobId, "page-1")));
			this.rows.add(Queues.EXCHANGE, Queues.LIST_PAGE, new ListPage(jobId, 2, "https://example.com/page/2"));
			this.rows.addBatch(Queues.EXCHANGE, Queues.SCAN_GIST, List.of(new ScanGist(jobId, "page-2")));
			this.rows.add(Queues.EXCHANGE, Queues.LIST_PAGE, new ListPage(jobId, 3, "https://example.com/page/3"));
			this.rows.relay(100, List.of(), (message) -> {
				if (message.payload().contains(jobId.toString())) {
					JsonNode payload = JSON.readTree(message.payload());
					relayed.add(message.batch() ? "scans of " + payload.get(0).get("gistId").asString()
							: "page " + payload.get("page").asInt());
				}
				return Publication.sent();
			});
			status.setRollbackOnly();
		});

		assertThat(relayed).containsExactly("page 2", "page 3", "scans of page-1", "scans of page-2");
	}

	@Test
	void aRelayThatHoldsARoutingKeyForATestLeavesItsRowsUnsentAndSendsTheOthers() {
		UUID jobId = UUID.randomUUID();
		this.rows.add(Queues.EXCHANGE, Queues.LIST_PAGE, new ListPage(jobId, 2, "https://example.com/page/2"));
		this.rows.addBatch(Queues.EXCHANGE, Queues.SCAN_GIST, List.of(new ScanGist(jobId, "a")));
		OutboxRelay holding = new OutboxRelay(this.rows, this.publisher, new OutboxTrace(ObservationRegistry.NOOP),
				new OutboxProperties(Duration.ofSeconds(1), Duration.ofSeconds(30), List.of(Queues.LIST_PAGE)),
				new SimpleMeterRegistry());

		holding.drain();

		assertThat(this.rows.unsent(Queues.LIST_PAGE)).singleElement()
			.extracting(OutboxMessage::payload)
			.asString()
			.contains(jobId.toString());
		assertThat(this.rows.unsent(Queues.SCAN_GIST)).isEmpty();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(receiveAll(Queues.SCAN_GIST, ScanGist.class)).contains(new ScanGist(jobId, "a")));
		holding.destroy();
	}

	@Test
	void aJsonRowIsPublishedAsItIsWithTheMessageIdOfItsRow() {
		String json = "{\"jobId\":\"" + UUID.randomUUID() + "\", \"kept\" : [1,2]}";

		this.transaction.executeWithoutResult((status) -> this.outbox.addJson(Queues.START_JOB, json));

		List<Message> mine = new ArrayList<>();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			Message message;
			while ((message = this.rabbit.receive(Queues.START_JOB)) != null) {
				if (new String(message.getBody(), StandardCharsets.UTF_8).equals(json)) {
					mine.add(message);
				}
			}
			assertThat(mine).hasSize(1);
		});
		assertThat(mine.getFirst().getMessageProperties().getMessageId()).matches("outbox-[0-9]+");
		assertThat(mine.getFirst().getMessageProperties().getContentType()).isEqualTo("application/json");
	}

	@Test
	void aFanOutWithoutMessagesWritesNoRow() {
		int before = this.rows.unsent(Queues.SCAN_GIST).size();

		this.transaction.executeWithoutResult((status) -> this.outbox.addAll(Queues.SCAN_GIST, List.of()));

		assertThat(this.rows.unsent(Queues.SCAN_GIST)).hasSize(before);
	}

	private <T> List<T> receiveAll(String queue, Class<T> type) {
		List<T> all = new ArrayList<>();
		Message message;
		while ((message = this.rabbit.receive(queue)) != null) {
			all.add(JSON.readValue(message.getBody(), type));
		}
		return all;
	}

}
