package io.gistgrep.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes and waits for the broker's confirm: a publish without a confirm is not a
 * publish. Needs {@code publisher-confirm-type=correlated}, {@code publisher-returns} and
 * a mandatory template, so that an unroutable message fails too.
 * <p>
 * Two callers only. {@link OutboxRelay} sends every message that must follow a commit
 * ({@link Outbox}). The worker's retry policy ({@code Tasks}) republishes a task it
 * defers into a delay queue: that copy follows no commit of ours, only the delivery it
 * replaces, and the original stays unacknowledged until the copy is confirmed, so a crash
 * in between redelivers the original instead of losing the task.
 */
public final class ConfirmedPublisher {

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	private final RabbitTemplate template;

	private final RabbitTemplate fanOuts;

	/** One template for everything: observed or not, as it is. */
	public ConfirmedPublisher(RabbitTemplate template) {
		this(template, template);
	}

	/**
	 * @param template the template of single publishes (observed in the apps: each
	 * message gets a span of its own and its trace context)
	 * @param fanOuts the template of {@link #publishEach}, unobserved in the apps (see
	 * there); the same connection factory as {@code template}
	 */
	public ConfirmedPublisher(RabbitTemplate template, RabbitTemplate fanOuts) {
		this.template = template;
		this.fanOuts = fanOuts;
	}

	/**
	 * Opens the broker connection and a channel (left in the connection factory's cache)
	 * now, so that the first publish does not pay for them.
	 * @throws AmqpException if the broker cannot be reached
	 */
	public void connect() {
		this.template.execute((channel) -> channel.isOpen());
	}

	/** Converts {@code payload} with the template's converter and publishes it. */
	public void publish(String exchange, String routingKey, Object payload) {
		CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
		this.template.convertAndSend(exchange, routingKey, payload, correlation);
		await(correlation, exchange, routingKey);
	}

	/**
	 * Publishes every payload (an object to convert, or a {@link Message} as is) to the
	 * same place, then waits for all the confirms: one round of waiting for a batch
	 * instead of one per message.
	 * @throws Refused if the broker refused any of them (some may have been taken)
	 */
	public void publishAll(String exchange, String routingKey, List<?> payloads) {
		List<Integer> refused = publishEach(exchange, routingKey, payloads);
		if (!refused.isEmpty()) {
			throw new Refused(refused.size() + " of " + payloads.size() + " messages to " + exchange + "/" + routingKey
					+ " were refused by the broker");
		}
	}

	/**
	 * Like {@link #publishAll}, but a refusal (a nack: the queue is full and rejects
	 * publishes) is an answer, not a failure, so that the caller can send again only what
	 * was refused.
	 * <p>
	 * Through the fan-out template, which the apps leave unobserved: an observation per
	 * message (a span, a timer, and the trace context put in its headers) took about a
	 * twentieth of a worker's CPU during a big job, for a span per scan task that says
	 * nothing the fan-out's one span does not. The caller puts the trace context in the
	 * messages' headers ({@link OutboxTrace#fanOut}).
	 * @return the indexes of the payloads the broker refused, in order; empty when it
	 * confirmed them all
	 * @throws PublishException if a confirm did not come or a message was returned
	 * (nothing is known then of the payloads after it)
	 */
	public List<Integer> publishEach(String exchange, String routingKey, List<?> payloads) {
		// All on one channel, taken from the connection's cache once for the batch rather
		// than once a message: a fan-out of a hundred scans spent a quarter of its
		// publishing time taking and giving back channels.
		List<CorrelationData> pending = this.fanOuts.invoke((operations) -> {
			List<CorrelationData> sent = new ArrayList<>();
			for (Object payload : payloads) {
				CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
				if (payload instanceof Message message) {
					operations.send(exchange, routingKey, message, correlation);
				}
				else {
					operations.convertAndSend(exchange, routingKey, payload, correlation);
				}
				sent.add(correlation);
			}
			return sent;
		});
		if (pending == null) {
			throw new PublishException("Nothing was published to " + exchange + "/" + routingKey, null);
		}
		List<Integer> refused = new ArrayList<>();
		for (int i = 0; i < pending.size(); i++) {
			try {
				await(pending.get(i), exchange, routingKey);
			}
			catch (Refused ex) {
				refused.add(i);
			}
		}
		return List.copyOf(refused);
	}

	public void publish(String exchange, String routingKey, Message message) {
		CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
		this.template.send(exchange, routingKey, message, correlation);
		await(correlation, exchange, routingKey);
	}

	private void await(CorrelationData correlation, String exchange, String routingKey) {
		CorrelationData.Confirm confirm;
		try {
			confirm = correlation.getFuture().get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublishException("Interrupted while waiting for the confirm of " + routingKey, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new PublishException("The broker did not confirm a message to " + exchange + "/" + routingKey, ex);
		}
		if (!confirm.ack()) {
			throw new Refused(
					"The broker refused a message to " + exchange + "/" + routingKey + ": " + confirm.reason());
		}
		if (correlation.getReturned() != null) {
			throw new PublishException("No queue took a message to " + exchange + "/" + routingKey + ": "
					+ correlation.getReturned().getReplyText(), null);
		}
	}

	/** A message that may not have reached a queue. */
	public static class PublishException extends AmqpException {

		PublishException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

	/**
	 * A message the broker answered with a nack: not taken, typically because its queue
	 * is at its length limit and rejects publishes ({@code overflow: reject-publish}).
	 * Worth sending again later, once consumers have made room.
	 */
	public static final class Refused extends PublishException {

		Refused(String message) {
			super(message, null);
		}

	}

}
