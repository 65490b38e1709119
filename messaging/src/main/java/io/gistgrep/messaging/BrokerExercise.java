package io.gistgrep.worker.warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.common.task.ScanGist;
import io.gistgrep.messaging.ConfirmedPublisher;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConverter;

/**
 * Sends scan tasks through the broker and back: published as the outbox relay publishes a
 * job's fan-out (a batch, with publisher confirms), to a queue of the warm-up's own,
 * which no listener consumes and no other worker knows of. It is deleted after each
 * round, and the broker deletes it after a minute unused if the worker died before that
 * ({@code x-expires}).
 */
final class BrokerExercise {

	/** Tasks sent and taken back in a round: a listing page's fan-out. */
	static final int TASKS = 100;

	private static final int EXPIRES_MILLIS = 60_000;

	private final AmqpAdmin admin;

	private final ConfirmedPublisher publisher;

	private final RabbitTemplate template;

	private final MessageConverter converter;

	private int received;

	private @Nullable String lastQueue;

	/**
	 * On the worker's connections, but with a template of its own: the application's
	 * template is observed, and would count the warm-up's publishes in the worker's
	 * metrics (tagged with its queue's name, a new series at each start) and start a
	 * trace for each.
	 */
	BrokerExercise(AmqpAdmin admin, ConnectionFactory connections, MessageConverter converter) {
		this.admin = admin;
		this.converter = converter;
		this.template = new RabbitTemplate(connections);
		this.template.setMessageConverter(converter);
		// As ConfirmedPublisher asks: an unroutable message comes back as a failure.
		this.template.setMandatory(true);
		this.template.setObservationEnabled(false);
		this.publisher = new ConfirmedPublisher(this.template);
	}

	/**
	 * Publishes {@link #TASKS} tasks and takes each back.
	 * @throws IllegalStateException when a task does not come back as it was sent
	 */
	void round() {
		Queue queue = new Queue("gistgrep.warmup." + UUID.randomUUID(), false, false, true,
				Map.of("x-expires", EXPIRES_MILLIS));
		this.admin.declareQueue(queue);
		this.lastQueue = queue.getName();
		try {
			UUID job = UUID.randomUUID();
			List<Message> tasks = new ArrayList<>(TASKS);
			for (int i = 0; i < TASKS; i++) {
				tasks.add(this.converter.toMessage(new ScanGist(job, "warmup" + i, 0), new MessageProperties()));
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
				message.getMessageProperties().setInferredArgumentType(ScanGist.class);
				if (!(this.converter.fromMessage(message) instanceof ScanGist task) || !task.jobId().equals(job)) {
					throw new IllegalStateException("A warm-up task came back as something else: " + message);
				}
				this.received++;
			}
		}
		finally {
			this.admin.deleteQueue(queue.getName());
		}
	}

	/** The queue of the last round, deleted by now. */
	@Nullable String lastQueue() {
		return this.lastQueue;
	}

	/** How many tasks came back, in every round. */
	int received() {
		return this.received;
	}

}
