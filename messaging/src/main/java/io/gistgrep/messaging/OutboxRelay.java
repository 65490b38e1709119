package io.gistgrep.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.gistgrep.db.outbox.OutboxMessage;
import io.gistgrep.db.outbox.OutboxRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Publishes the outbox; runs in the api and in the worker (both write outbox rows).
 * <ul>
 * <li>Woken right after a transaction that wrote a row commits ({@link Outbox.Written}),
 * so a job starts, and a listing page's scans go out, at once.</li>
 * <li>Polling too, as the safety net: rows whose writer died before waking anyone, and
 * messages whose publish failed (broker down), are sent once the broker is back.</li>
 * <li>A batch row (a fan-out) is published as one message per element of its JSON array,
 * and marked sent once the broker confirmed them all.</li>
 * </ul>
 * Delivery is at least once: a relay that dies after publishing and before marking the
 * row sent publishes it again. Every consumer is idempotent.
 */
@Component
public class OutboxRelay implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final int BATCH = 100;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final OutboxRepository outbox;

	private final ConfirmedPublisher publisher;

	private final List<String> held;

	private final ExecutorService executor = Executors
		.newSingleThreadExecutor(Thread.ofVirtual().name("outbox-relay").factory());

	private final AtomicBoolean wanted = new AtomicBoolean();

	OutboxRelay(OutboxRepository outbox, ConfirmedPublisher publisher, OutboxProperties properties) {
		this.outbox = outbox;
		this.publisher = publisher;
		this.held = properties.testOnlyHold();
		if (!this.held.isEmpty()) {
			log.warn("This outbox relay holds back every message to {} (gistgrep.outbox.test-only-hold): "
					+ "a setting for crash tests only", this.held);
		}
	}

	/**
	 * Asks for a drain soon, without waiting for it; wake-ups while one is queued merge.
	 */
	public void wake() {
		if (this.wanted.compareAndSet(false, true)) {
			try {
				this.executor.execute(() -> {
					this.wanted.set(false);
					drain();
				});
			}
			catch (RejectedExecutionException ex) {
				// Shutting down: the next process's relay sends what is left.
				log.debug("The outbox relay is shut down; its rows are left for the next relay", ex);
			}
		}
	}

	// Outbox writes only inside a transaction (MANDATORY), so the event always has a
	// commit.
	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void written(Outbox.Written event) {
		wake();
	}

	@Scheduled(fixedDelayString = "${gistgrep.outbox.poll-interval:1s}")
	void poll() {
		wake();
	}

	/** Publishes until the outbox is empty or publishing fails. */
	void drain() {
		try {
			int sent;
			do {
				sent = this.outbox.relay(BATCH, this.held, this::publish);
			}
			while (sent == BATCH);
		}
		catch (RuntimeException ex) {
			log.warn("The outbox relay stopped; it tries again at its next poll", ex);
		}
	}

	private boolean publish(OutboxMessage message) {
		try {
			if (message.batch()) {
				// A crash between these publishes and marking the row sent publishes the
				// whole fan-out again: safe, because a scan of a gist already counted
				// changes nothing (ScanListener checks the gist is still pending).
				List<Message> messages = new ArrayList<>();
				int index = 0;
				for (JsonNode element : JSON.readTree(message.payload())) {
					messages.add(message(messageId(message) + "-" + index++, JSON.writeValueAsBytes(element)));
				}
				this.publisher.publishAll(message.exchange(), message.routingKey(), messages);
			}
			else {
				this.publisher.publish(message.exchange(), message.routingKey(),
						message(messageId(message), message.payload().getBytes(StandardCharsets.UTF_8)));
			}
			return true;
		}
		catch (AmqpException ex) {
			log.warn("Could not publish outbox message {} to {}: {}", message.id(), message.routingKey(),
					ex.getMessage());
			return false;
		}
		catch (RuntimeException ex) {
			// A row the relay cannot read (a batch payload that is not a JSON array): the
			// rows published before it in this pass stay marked sent, instead of the
			// whole
			// pass rolling back and publishing them again at every poll.
			log.error("Outbox message {} to {} cannot be published as stored", message.id(), message.routingKey(), ex);
			return false;
		}
	}

	/**
	 * The message id of what a row publishes: the same for a row published again after a
	 * crash (the copies are one message), different for every row, so that the dead
	 * letter store tells a message dead-lettered twice from one re-driven and
	 * dead-lettered again.
	 */
	private static String messageId(OutboxMessage message) {
		return "outbox-" + message.id();
	}

	private static Message message(String id, byte[] body) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(id);
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setContentEncoding(StandardCharsets.UTF_8.name());
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		return MessageBuilder.withBody(body).andProperties(properties).build();
	}

	@Override
	public void destroy() {
		this.executor.shutdown();
	}

}
