package io.gistgrep.worker.warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.gistgrep.common.task.ListPage;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.messaging.BrokerExercise;
import io.gistgrep.messaging.ConfirmedPublisher;
import io.gistgrep.worker.scan.ScanDelivery;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.amqp.support.converter.AbstractJavaTypeMapper;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.context.ApplicationContext;

/**
 * A warm-up step: tasks published as the outbox relay publishes (with confirms; scan
 * tasks as a fan-out, unobserved, the others one by one, observed) and delivered through
 * listener containers that the worker's own factories make, to queues of the warm-up's
 * own: scan tasks in batches through the scan queue's factory
 * ({@link io.gistgrep.worker.messaging.ScanConsumers}), each taken in and observed as the
 * scan listener does ({@link ScanDelivery}), and start and listing tasks one at a time
 * through every other queue's factory, observed by the container. The rehearsed job runs
 * the work a task causes, and the converter step its reading, but neither a delivery: the
 * consumers, their observations and traces, the batches and the acknowledgements were
 * left to the first job, which paid for their first runs.
 * <p>
 * The queues are named {@link BrokerExercise#QUEUE_PREFIX}{@code …}, so that the
 * deliveries' meters and spans are dropped, and live as long as the warm-up: deleted by
 * {@link #close()}, or by the broker once their consumer is gone (auto-delete) for a
 * worker that died before that, or a minute after they were declared if none ever
 * consumed ({@code x-expires}).
 */
final class DeliveryExercise implements AutoCloseable {

	/** Scan tasks sent and delivered in a round: a listing page's fan-out. */
	static final int SCANS = BrokerExercise.TASKS;

	/** Start and listing tasks sent and delivered in a round. */
	static final int TASKS = 10;

	/** How long a round waits for its deliveries. */
	private static final long WAIT_SECONDS = 10;

	private final AmqpAdmin admin;

	private final MessageConverter converter;

	private final ConfirmedPublisher publisher;

	private final Queue scanQueue = BrokerExercise.queue("scans");

	private final Queue taskQueue = BrokerExercise.queue("tasks");

	private final List<SimpleMessageListenerContainer> containers = new ArrayList<>();

	private final BlockingQueue<Object> delivered = new LinkedBlockingQueue<>();

	private int received;

	/**
	 * Declares the queues and starts a container on each.
	 * @param scans the scan queue's container factory
	 * @param tasks the other queues' container factory
	 */
	DeliveryExercise(AmqpAdmin admin, ConnectionFactory connections, MessageConverter converter,
			ApplicationContext context, SimpleRabbitListenerContainerFactory scans,
			SimpleRabbitListenerContainerFactory tasks) {
		this.admin = admin;
		this.converter = converter;
		this.publisher = BrokerExercise.publisher(BrokerExercise.template(connections, converter, context), connections,
				converter);
		ObservationRegistry observations = context.getBeanProvider(ObservationRegistry.class)
			.getIfAvailable(() -> ObservationRegistry.NOOP);
		try {
			admin.declareQueue(this.scanQueue);
			admin.declareQueue(this.taskQueue);
			SimpleRabbitListenerEndpoint batches = endpoint(this.scanQueue);
			batches.setBatchListener(true);
			batches.setMessageListener((ChannelAwareBatchMessageListener) (messages, channel) -> {
				try {
					this.delivered
						.addAll(ScanDelivery.takeAll(messages, this.scanQueue.getName(), channel, observations));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			start(scans, batches);
			SimpleRabbitListenerEndpoint singles = endpoint(this.taskQueue);
			singles.setMessageListener((MessageListener) this::take);
			start(tasks, singles);
		}
		catch (RuntimeException ex) {
			try {
				close();
			}
			catch (RuntimeException closing) {
				ex.addSuppressed(closing);
			}
			throw ex;
		}
	}

	private static SimpleRabbitListenerEndpoint endpoint(Queue queue) {
		SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
		endpoint.setId(queue.getName());
		endpoint.setQueueNames(queue.getName());
		return endpoint;
	}

	private void start(SimpleRabbitListenerContainerFactory factory, SimpleRabbitListenerEndpoint endpoint) {
		SimpleMessageListenerContainer container = factory.createListenerContainer(endpoint);
		// One consumer: the warm-up's deliveries are few, and each needs only one path.
		// The prefetch is the factory's (4), not the start and listing queues' 1, which
		// goes by listener id: a consumer's prefetch changes no code path.
		container.setConcurrentConsumers(1);
		container.setMaxConcurrentConsumers(1);
		this.containers.add(container);
		container.afterPropertiesSet();
		container.start();
	}

	/**
	 * A start or listing task, read as a listener's adapter reads it: as the type its
	 * method takes (the two listeners' types, told apart by the converter's type header).
	 */
	private void take(Message message) {
		Object task;
		try {
			Object type = message.getMessageProperties().getHeader(AbstractJavaTypeMapper.DEFAULT_CLASSID_FIELD_NAME);
			message.getMessageProperties()
				.setInferredArgumentType(ListPage.class.getName().equals(type) ? ListPage.class : StartJob.class);
			task = this.converter.fromMessage(message);
		}
		catch (RuntimeException ex) {
			task = ex;
		}
		this.delivered.add(task);
	}

	/**
	 * Publishes {@link #SCANS} scan tasks and {@link #TASKS} others, and waits until each
	 * is delivered.
	 * @throws IllegalStateException when one does not come, or not as it was sent
	 */
	void round() {
		Set<Object> sent = new HashSet<>();
		List<Message> scans = new ArrayList<>(SCANS);
		for (int i = 0; i < SCANS; i++) {
			scans.add(message(new ScanGist(UUID.randomUUID(), "warmup" + i, 1), sent));
		}
		List<Message> tasks = new ArrayList<>(TASKS);
		for (int i = 0; i < TASKS; i++) {
			UUID job = UUID.randomUUID();
			tasks.add(message((i % 2 == 0) ? new StartJob(job)
					: new ListPage(job, 2, "https://api.github.com/users/octocat/gists?per_page=100&page=2", 1, false),
					sent));
		}
		// As the relay publishes: a fan-out of scans in one batch, unobserved; other
		// tasks one row, one observed publish, at a time.
		List<Integer> refused = this.publisher.publishEach("", this.scanQueue.getName(), scans);
		if (!refused.isEmpty()) {
			throw new IllegalStateException("The broker refused " + refused.size() + " warm-up scan tasks");
		}
		for (Message task : tasks) {
			this.publisher.publish("", this.taskQueue.getName(), task);
		}
		int expected = SCANS + TASKS;
		try {
			for (int i = 0; i < expected; i++) {
				Object task = this.delivered.poll(WAIT_SECONDS, TimeUnit.SECONDS);
				if (task == null) {
					throw new IllegalStateException("Only " + i + " of " + expected + " warm-up tasks were delivered");
				}
				// Each task has a job id of its own: each is delivered once.
				if (!sent.remove(task)) {
					throw new IllegalStateException("A warm-up task was delivered as something else: " + task);
				}
				this.received++;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the warm-up's deliveries", ex);
		}
	}

	private Message message(Object task, Set<Object> sent) {
		sent.add(task);
		return this.converter.toMessage(task, new MessageProperties());
	}

	/** Tasks delivered, in every round. */
	int received() {
		return this.received;
	}

	/** The warm-up's queues. */
	List<String> queues() {
		return List.of(this.scanQueue.getName(), this.taskQueue.getName());
	}

	/**
	 * Stops the containers and deletes the queues, each on its own: one that fails must
	 * not leave the others consuming or in place.
	 * @throws IllegalStateException when one could not be stopped or deleted, with the
	 * others' failures as suppressed
	 */
	@Override
	public void close() {
		List<RuntimeException> failures = new ArrayList<>();
		for (SimpleMessageListenerContainer container : this.containers) {
			attempt(failures, () -> {
				container.stop();
				container.destroy();
			});
		}
		attempt(failures, () -> this.admin.deleteQueue(this.scanQueue.getName()));
		attempt(failures, () -> this.admin.deleteQueue(this.taskQueue.getName()));
		if (!failures.isEmpty()) {
			IllegalStateException failure = new IllegalStateException(
					"The warm-up's deliveries could not all be stopped and deleted", failures.getFirst());
			failures.stream().skip(1).forEach(failure::addSuppressed);
			throw failure;
		}
	}

	private static void attempt(List<RuntimeException> failures, Runnable step) {
		try {
			step.run();
		}
		catch (RuntimeException ex) {
			failures.add(ex);
		}
	}

}
