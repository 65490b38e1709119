package io.gistgrep.worker.deadletter;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.common.task.Queues;
import io.gistgrep.db.deadletter.DeadLetter;
import io.gistgrep.db.deadletter.DeadLetterRepository;
import io.gistgrep.messaging.Topology;
import io.gistgrep.testing.TcpProxy;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.BrokerTesting;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer of the dead-letter queue, on a virtual host and database of their own,
 * with PostgreSQL behind a {@link TcpProxy}: a letter that arrives while the database is
 * unreachable is neither acknowledged nor rejected, and is stored once it is back. The
 * container rejects without requeue by default, as the worker's does.
 */
class DeadLetterListenerTests {

	private static final MeterRegistry meters = new SimpleMeterRegistry();

	private static CachingConnectionFactory connections;

	private static TcpProxy postgres;

	private static SimpleMessageListenerContainer container;

	private static DeadLetterRepository letters;

	@BeforeAll
	static void start() {
		Map<String, String> services = TestServices.get().isolated("dlconsumer");
		String url = services.get("spring.datasource.url");
		String user = services.get("spring.datasource.username");
		String password = services.get("spring.datasource.password");
		Flyway.configure().dataSource(url, user, password).load().migrate();
		URI server = URI.create(url.substring("jdbc:".length()));
		postgres = TcpProxy.to(server.getHost(), server.getPort());
		String proxied = url.replace(":" + server.getPort() + "/", ":" + postgres.port() + "/");
		letters = new DeadLetterRepository(JdbcClient.create(new DriverManagerDataSource(proxied, user, password)));
		DeadLetterListener listener = new DeadLetterListener(letters, new DeadLetterCount(letters, meters), meters);

		connections = BrokerTesting.connections(services);
		BrokerTesting.declareTopology(connections);
		container = new SimpleMessageListenerContainer(connections);
		container.setQueueNames(Topology.DEAD_LETTER_QUEUE);
		container.setDefaultRequeueRejected(false);
		container.setMessageListener((MessageListener) listener::store);
		container.start();
	}

	@AfterAll
	static void stop() {
		if (container != null) {
			container.stop();
		}
		if (connections != null) {
			connections.destroy();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void aLetterThatArrivesWhileTheDatabaseIsDownIsStoredOnceItIsBack() {
		String body = "{\"id\":\"" + UUID.randomUUID() + "\"}";
		double failedBefore = meters.counter("gistgrep.dead-letters.store-failed").count();
		postgres.refuse(true);
		postgres.cut();
		try {
			new RabbitTemplate(connections).send(Topology.DEAD_LETTER_EXCHANGE, Queues.SCAN_GIST,
					MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8)).setMessageId(body).build());
			await().atMost(Duration.ofSeconds(20))
				.until(() -> meters.counter("gistgrep.dead-letters.store-failed").count() >= failedBefore + 2);
		}
		finally {
			postgres.refuse(false);
		}

		DeadLetter stored = await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> letters.page(Queues.SCAN_GIST, null, 100)
				.stream()
				.filter((letter) -> new String(letter.payload(), StandardCharsets.UTF_8).equals(body))
				.toList(), (found) -> !found.isEmpty())
			.getFirst();

		assertThat(stored.queue()).as("no x-death: the routing key it came with").isEqualTo(Queues.SCAN_GIST);
		assertThat(stored.reason()).isEqualTo("unknown");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> connections.getRabbitConnectionFactory() != null && new RabbitTemplate(connections)
				.execute((channel) -> channel.queueDeclarePassive(Topology.DEAD_LETTER_QUEUE).getMessageCount()) == 0);
		assertThat(letters.page(Queues.SCAN_GIST, null, 100))
			.filteredOn((letter) -> new String(letter.payload(), StandardCharsets.UTF_8).equals(body))
			.as("stored once, though delivered several times")
			.hasSize(1);
	}

}
