package io.gistgrep.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.context.ApplicationContext;

/**
 * A start-up warm-up's step: sends tasks through the broker and back, published as the
 * outbox relay publishes (with publisher confirms, observed; in a batch, for speed), to a
 * queue of the warm-up's own, which no listener consumes and no other app knows of. It is
 * deleted after each round, and the broker deletes it after a minute unused if the app
 * died before that ({@code x-expires}). The api sends start tasks (what its relay sends
 * for each submission); the worker's warm-up delivers its tasks through listener
 * containers instead, on queues and a template made here.
 * <p>
 * The warm-up's queues are named {@link #QUEUE_PREFIX}{@code …}, and the meters and spans
 * tagged with such a name are dropped ({@link MessagingConfiguration}): an observed
 * publish is the relay's path, but the warm-up's must not show in the metrics (a new
 * series at each start) or the traces.
 */
public final class BrokerExercise {

	/** What the names of the warm-ups' queues, and so their meters' tags, begin with. */
	public static final String QUEUE_PREFIX = "gistgrep.warmup.";

	/**
	 * The tag keys of meters and spans that name a queue, a listener or a template:
	 * Spring AMQP's observations' (listener, template) and the scan listener's own.
	 */
	private static final Set<String> NAMING_KEYS = Set.of("queue", "spring.rabbit.listener.id",
			"spring.rabbit.template.name", "messaging.destination.name", "messaging.rabbitmq.destination.routing_key");

	/** Tasks sent and taken back in a round: a listing page's fan-out. */
	public static final int TASKS = 100;

	private static final int EXPIRES_MILLIS = 60_000;

	private final AmqpAdmin admin;

	private final ConfirmedPublisher publisher;

	private final RabbitTemplate template;

	private final MessageConverter converter;

	private final Function<UUID, Object> task;

	private int received;

	/**
	 * On the app's connections, with a template of its own ({@link #template}).
	 * @param task the task to send for a made-up job id; a record, so that what comes
	 * back can be compared with what was sent
	 */
	public BrokerExercise(AmqpAdmin admin, ConnectionFactory connections, MessageConverter converter,
			ApplicationContext context, Function<UUID, Object> task) {
		this.admin = admin;
		this.converter = converter;
		this.task = task;
		this.template = template(connections, converter, context);
		// Observed, batch included: the api's relay publishes each start task
		// observed, never as an unobserved fan-out (see publisher).
		this.publisher = new ConfirmedPublisher(this.template);
	}

	/**
	 * A template for a warm-up's publishes: as the application's (observed, and so
	 * traced, with the context's observation registry; an unroutable message comes back
	 * as a failure, as {@link ConfirmedPublisher} asks), but named
	 * {@link #QUEUE_PREFIX}{@code template}, so that its meters are dropped even for a
	 * publish to another queue.
	 */
	public static RabbitTemplate template(ConnectionFactory connections, MessageConverter converter,
			ApplicationContext context) {
		RabbitTemplate template = unobserved(connections, converter, "template");
		template.setApplicationContext(context);
		template.setObservationEnabled(true);
		return template;
	}

	/**
	 * A publisher for a warm-up, as the application's ({@code MessagingConfiguration}):
	 * single publishes through {@code template}, observed, and fan-outs
	 * ({@link ConfirmedPublisher#publishEach}) through a template like it but unobserved.
	 */
	public static ConfirmedPublisher publisher(RabbitTemplate template, ConnectionFactory connections,
			MessageConverter converter) {
		return new ConfirmedPublisher(template, unobserved(connections, converter, "fan-out-template"));
	}

	/** A warm-up's template, unobserved, named {@link #QUEUE_PREFIX}{@code name}. */
	private static RabbitTemplate unobserved(ConnectionFactory connections, MessageConverter converter, String name) {
		RabbitTemplate template = new RabbitTemplate(connections);
		template.setMessageConverter(converter);
		template.setMandatory(true);
		template.setBeanName(QUEUE_PREFIX + name);
		return template;
	}

	/**
	 * Whether a meter's or a span's tag names a warm-up's queue, listener or template:
	 * only the tags that name one are read.
	 */
	static boolean namesWarmup(String key, String value) {
		return NAMING_KEYS.contains(key) && value.startsWith(QUEUE_PREFIX);
	}

	/** A queue for a warm-up, named {@link #QUEUE_PREFIX}{@code <kind>.<random>}. */
	public static Queue queue(String kind) {
		return new Queue(QUEUE_PREFIX + kind + "." + UUID.randomUUID(), false, false, true,
				Map.of("x-expires", EXPIRES_MILLIS));
	}

	/**
	 * Publishes {@link #TASKS} tasks and takes each back.
	 * @throws IllegalStateException when a task does not come back as it was sent
	 */
	public void round() {
		Queue queue = queue("tasks");
		this.admin.declareQueue(queue);
		try {
			List<Object> sent = new ArrayList<>(TASKS);
			List<Message> tasks = new ArrayList<>(TASKS);
			for (int i = 0; i < TASKS; i++) {
				sent.add(this.task.apply(UUID.randomUUID()));
				tasks.add(this.converter.toMessage(sent.getLast(), new MessageProperties()));
			}
			List<Integer> refused = this.publisher.publishEach("", queue.getName(), tasks);
			if (!refused.isEmpty()) {
				throw new IllegalStateException("The broker refused " + refused.size() + " warm-up tasks");
			}
			for (int i = 0; i < TASKS; i++) {
				Message message = this.template.receive(queue.getName());
				if (message == null) {
					throw new IllegalStateException("Only " + i + " of " + TASKS + " warm-up tasks came back");
				}
				// As a listener reads it: as the type its method takes.
				message.getMessageProperties().setInferredArgumentType(sent.get(i).getClass());
				if (!sent.get(i).equals(this.converter.fromMessage(message))) {
					throw new IllegalStateException("A warm-up task came back as something else: " + message);
				}
				this.received++;
			}
		}
		finally {
			this.admin.deleteQueue(queue.getName());
		}
	}

	/** How many tasks came back, in every round. */
	public int received() {
		return this.received;
	}

}
