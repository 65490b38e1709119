package io.gistgrep.worker.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.gistgrep.messaging.ConfirmedPublisher;
import io.gistgrep.testing.TcpProxy;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.BrokerTesting;
import io.gistgrep.worker.github.GitHubTesting;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task that can be neither acknowledged nor deferred goes back to its queue, not to the
 * dead letters: a consumer like the worker's (auto acknowledgement, rejected messages not
 * requeued, a quorum queue with a delivery limit and a dead-letter exchange) on this
 * run's virtual host, whose retries cannot be published (the broker refuses the
 * connection, through a {@link TcpProxy}).
 */
class TasksRequeueTests {

	private final String name = "test.requeue." + UUID.randomUUID();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private CachingConnectionFactory connections;

	private CachingConnectionFactory refused;

	private TcpProxy proxy;

	private RabbitAdmin admin;

	private SimpleMessageListenerContainer container;

	private Tasks tasks;

	@BeforeEach
	void declare() {
		Map<String, String> services = TestServices.get().properties();
		String host = services.get("spring.rabbitmq.host");
		int port = Integer.parseInt(services.get("spring.rabbitmq.port"));
		this.connections = BrokerTesting.connections(services, host, port);
		this.proxy = TcpProxy.to(host, port);
		this.proxy.refuse(true);
		this.refused = BrokerTesting.connections(services, "127.0.0.1", this.proxy.port());
		RabbitTemplate dead = new RabbitTemplate(this.refused);
		dead.setMandatory(true);
		this.tasks = new Tasks(
				new ConfirmedPublisher(dead), new WorkerProperties(1, List.of(Duration.ofSeconds(1)),
						Duration.ofSeconds(30), new WorkerProperties.Scan(4, 50, Duration.ofMillis(50), 100, 300)),
				this.meters);
		this.admin = new RabbitAdmin(this.connections);
		FanoutExchange deadLetters = new FanoutExchange(this.name + ".dead", false, true);
		Queue deadQueue = new Queue(this.name + ".dead", false, false, true);
		this.admin.declareExchange(deadLetters);
		this.admin.declareQueue(deadQueue);
		this.admin.declareBinding(BindingBuilder.bind(deadQueue).to(deadLetters));
		this.admin.declareQueue(QueueBuilder.durable(this.name)
			.quorum()
			.deliveryLimit(10)
			.deadLetterExchange(deadLetters.getName())
			.build());
	}

	@AfterEach
	void remove() {
		if (this.container != null) {
			this.container.stop();
		}
		this.admin.deleteQueue(this.name);
		this.admin.deleteQueue(this.name + ".dead");
		this.admin.deleteExchange(this.name + ".dead");
		this.connections.destroy();
		this.refused.destroy();
		this.proxy.close();
	}

	@Test
	void aTaskWhoseRetryCannotBePublishedGoesBackToItsQueueInsteadOfTheDeadLetters() {
		AtomicInteger runs = new AtomicInteger();
		List<Boolean> redelivered = consume((message) -> this.tasks.run(message, () -> {
			if (runs.incrementAndGet() == 1) {
				throw GitHubTesting.transientFailure();
			}
		}, (ex) -> {
		}));

		publish(Map.of());

		await().atMost(Duration.ofSeconds(20)).until(() -> runs.get() == 2);
		assertThat(redelivered).containsExactly(false, true);
		assertThat(this.meters.counter("gistgrep.tasks.requeued", "queue", this.name).count()).isOne();
		await().atMost(Duration.ofSeconds(10)).until(() -> messages(this.name) == 0);
		assertThat(messages(this.name + ".dead")).isZero();
	}

	@Test
	void aTaskWhoseGiveUpFailsGoesBackToItsQueueAndIsGivenUpAgain() {
		AtomicInteger givenUp = new AtomicInteger();
		List<Boolean> redelivered = consume((message) -> this.tasks.run(message, () -> {
			throw GitHubTesting.transientFailure();
		}, (ex) -> {
			if (givenUp.incrementAndGet() == 1) {
				throw new IllegalStateException("the database is away");
			}
		}));

		// The last attempt: it is given up when it fails.
		publish(Map.of(Tasks.ATTEMPT, 1));

		await().atMost(Duration.ofSeconds(20)).until(() -> givenUp.get() == 2);
		assertThat(redelivered).containsExactly(false, true);
		await().atMost(Duration.ofSeconds(10)).until(() -> messages(this.name) == 0);
		assertThat(messages(this.name + ".dead")).isZero();
	}

	/** Consumes the queue as the worker does; the deliveries' redelivered flags. */
	private List<Boolean> consume(Consumer<Message> listener) {
		List<Boolean> redelivered = new CopyOnWriteArrayList<>();
		this.container = new SimpleMessageListenerContainer(this.connections);
		this.container.setQueueNames(this.name);
		this.container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		this.container.setDefaultRequeueRejected(false);
		this.container.setMessageListener((MessageListener) (message) -> {
			redelivered.add(message.getMessageProperties().isRedelivered());
			listener.accept(message);
		});
		this.container.start();
		return redelivered;
	}

	private void publish(Map<String, Object> headers) {
		var message = MessageBuilder.withBody("task".getBytes(StandardCharsets.UTF_8));
		headers.forEach(message::setHeader);
		new RabbitTemplate(this.connections).send("", this.name, message.build());
	}

	private long messages(String queue) {
		return this.admin.getQueueInfo(queue).getMessageCount();
	}

}
