package io.gistgrep.worker.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.gistgrep.common.task.Queues;
import io.gistgrep.db.deadletter.DeadLetter;
import io.gistgrep.messaging.Topology;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.BrokerTesting;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@link Letters} reads from real dead letters: made by this run's RabbitMQ, on a
 * virtual host of their own where nothing consumes, from the topology the apps declare.
 */
class LettersTests {

	private static CachingConnectionFactory connections;

	private static RabbitTemplate template;

	@BeforeAll
	static void connect() {
		Map<String, String> services = TestServices.get().isolated("letters");
		connections = BrokerTesting.connections(services);
		BrokerTesting.declareTopology(connections);
		template = new RabbitTemplate(connections);
	}

	@AfterAll
	static void disconnect() {
		connections.destroy();
	}

	@Test
	void aRejectedTaskNamesItsQueueReasonAndRoutingKey() {
		String body = publish(Queues.EXCHANGE, Queues.SCAN_GIST, "m-" + UUID.randomUUID());
		rejectWhenThere(Queues.SCAN_GIST);

		DeadLetter.Arrival letter = Letters.arrival(deadLetter(body), Instant.now());

		assertThat(letter.queue()).isEqualTo(Queues.SCAN_GIST);
		assertThat(letter.routingKey()).isEqualTo(Queues.SCAN_GIST);
		assertThat(letter.reason()).isEqualTo("rejected");
		assertThat(letter.deathCount()).isEqualTo(1);
		assertThat(new String(letter.payload(), StandardCharsets.UTF_8)).isEqualTo(body);
		assertThat(letter.contentType()).isEqualTo("application/json");
		assertThat(letter.headers()).contains("x-death").contains("message_id");
	}

	@Test
	void aTaskRequeuedPastTheDeliveryLimitIsDeadLetteredWithThatReason() {
		String body = publish(Queues.EXCHANGE, Queues.LIST_PAGE, "m-" + UUID.randomUUID());
		AtomicInteger deliveries = new AtomicInteger();
		// A requeued message is back in the queue a moment later: poll until the broker
		// gives up on it.
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
			if (settle(Queues.LIST_PAGE, true)) {
				deliveries.incrementAndGet();
			}
			return deadLetters() > 0;
		});

		DeadLetter.Arrival letter = Letters.arrival(deadLetter(body), Instant.now());

		assertThat(deliveries.get()).isEqualTo(Topology.DELIVERY_LIMIT + 1);
		assertThat(letter.queue()).isEqualTo(Queues.LIST_PAGE);
		assertThat(letter.reason()).isEqualTo("delivery_limit");
	}

	@Test
	void aRetriedTaskIsTracedToItsWorkQueueNotToTheDelayQueueItExpiredFrom() {
		Duration tier = Topology.DELAY_TIERS.getFirst();
		String body = publish(Topology.delayExchange(tier), Queues.DELIVER_WEBHOOK, "m-" + UUID.randomUUID());
		rejectWhenThere(Queues.DELIVER_WEBHOOK);

		Message message = deadLetter(body);
		DeadLetter.Arrival letter = Letters.arrival(message, Instant.now());

		assertThat(message.getMessageProperties().getXDeathHeader()).hasSize(2);
		assertThat(letter.queue()).isEqualTo(Queues.DELIVER_WEBHOOK);
		assertThat(letter.routingKey()).isEqualTo(Queues.DELIVER_WEBHOOK);
		assertThat(letter.reason()).isEqualTo("rejected");
	}

	@Test
	void aLetterDeliveredAgainKeepsItsFingerprintAndAnotherMessageHasItsOwn() throws Exception {
		String id = "m-" + UUID.randomUUID();
		String body = publish(Queues.EXCHANGE, Queues.START_JOB, id);
		rejectWhenThere(Queues.START_JOB);
		byte[] first = Letters.arrival(deadLetterLeftUnacked(body), Instant.now()).fingerprint();
		Message again = deadLetter(body);

		String other = publish(Queues.EXCHANGE, Queues.START_JOB, "m-" + UUID.randomUUID(), body);
		rejectWhenThere(Queues.START_JOB);
		byte[] otherFingerprint = Letters.arrival(deadLetter(other), Instant.now()).fingerprint();

		assertThat(again.getMessageProperties().isRedelivered()).isTrue();
		assertThat(again.getMessageProperties().getHeaders()).as("what a quorum queue adds on redelivery")
			.containsKey("x-delivery-count");
		assertThat(Letters.arrival(again, Instant.now()).fingerprint()).isEqualTo(first);
		assertThat(otherFingerprint).isNotEqualTo(first);
	}

	private static String publish(String exchange, String routingKey, String messageId) {
		return publish(exchange, routingKey, messageId, "{\"id\":\"" + UUID.randomUUID() + "\"}");
	}

	private static String publish(String exchange, String routingKey, String messageId, String body) {
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.messageId(messageId)
			.deliveryMode(2)
			.build();
		template.execute((channel) -> {
			channel.basicPublish(exchange, routingKey, properties, body.getBytes(StandardCharsets.UTF_8));
			return null;
		});
		return body;
	}

	/**
	 * Rejects the next message of {@code queue} once it is there: a quorum queue enqueues
	 * through its log, so a message just published may not be there yet.
	 */
	private static void rejectWhenThere(String queue) {
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> settle(queue, false));
	}

	/**
	 * Takes the next message of {@code queue} (nothing else consumes it) and rejects it,
	 * requeued or not.
	 * @return whether there was one
	 */
	private static boolean settle(String queue, boolean requeue) {
		Boolean settled = template.execute((channel) -> {
			GetResponse response = channel.basicGet(queue, false);
			if (response == null) {
				return false;
			}
			channel.basicNack(response.getEnvelope().getDeliveryTag(), false, requeue);
			return true;
		});
		return Boolean.TRUE.equals(settled);
	}

	/**
	 * Takes the dead letter with this body on a channel that is then closed without an
	 * acknowledgement, as when a worker dies: the broker delivers it again.
	 */
	private static Message deadLetterLeftUnacked(String body) throws Exception {
		// A connection of its own: closing a caching factory's channel only caches it.
		try (Connection connection = connections.getRabbitConnectionFactory().newConnection()) {
			Channel channel = connection.createChannel();
			GetResponse response = await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> channel.basicGet(Topology.DEAD_LETTER_QUEUE, false), Objects::nonNull);
			assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo(body);
			Message message = new Message(response.getBody(), new DefaultMessagePropertiesConverter()
				.toMessageProperties(response.getProps(), response.getEnvelope(), "UTF-8"));
			channel.close();
			return message;
		}
	}

	private static long deadLetters() {
		Long count = template.execute((channel) -> channel.messageCount(Topology.DEAD_LETTER_QUEUE));
		return (count != null) ? count : 0;
	}

	/**
	 * Takes the dead letter with this body; waits for it, since dead-lettering is
	 * asynchronous.
	 */
	private static Message deadLetter(String body) {
		AtomicReference<@Nullable Message> found = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
			found.set(template.execute((channel) -> {
				GetResponse response = channel.basicGet(Topology.DEAD_LETTER_QUEUE, false);
				if (response == null) {
					return null;
				}
				boolean mine = new String(response.getBody(), StandardCharsets.UTF_8).equals(body);
				// Another test's letter is acknowledged (dropped) too: put back, it would
				// come first again.
				channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
				return mine ? new Message(response.getBody(), new DefaultMessagePropertiesConverter()
					.toMessageProperties(response.getProps(), response.getEnvelope(), "UTF-8")) : null;
			}));
			return found.get() != null;
		});
		return found.get();
	}

}
