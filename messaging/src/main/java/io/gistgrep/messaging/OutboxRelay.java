package io.gistgrep.messaging;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.gistgrep.db.outbox.OutboxMessage;
import io.gistgrep.db.outbox.OutboxRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes the outbox; runs in the api and in the worker (both write outbox rows). Woken
 * right after a job is stored, so a job starts at once; and polling every second too, so
 * that rows written elsewhere (a job's end queues its webhook) are sent, and a message
 * whose publish failed (broker down, restart between commit and publish) is sent once the
 * broker is back.
 */
@Component
public class OutboxRelay implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final int BATCH = 100;

	private final OutboxRepository outbox;

	private final ConfirmedPublisher publisher;

	private final ExecutorService executor = Executors
		.newSingleThreadExecutor(Thread.ofVirtual().name("outbox-relay").factory());

	private final AtomicBoolean wanted = new AtomicBoolean();

	OutboxRelay(OutboxRepository outbox, ConfirmedPublisher publisher) {
		this.outbox = outbox;
		this.publisher = publisher;
	}

	/**
	 * Asks for a drain soon, without waiting for it; wake-ups while one is queued merge.
	 */
	public void wake() {
		if (this.wanted.compareAndSet(false, true)) {
			this.executor.execute(() -> {
				this.wanted.set(false);
				drain();
			});
		}
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
				sent = this.outbox.relay(BATCH, this::publish);
			}
			while (sent == BATCH);
		}
		catch (RuntimeException ex) {
			log.warn("The outbox relay stopped; it tries again at its next poll", ex);
		}
	}

	private boolean publish(OutboxMessage message) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setContentEncoding(StandardCharsets.UTF_8.name());
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		try {
			this.publisher.publish(message.exchange(), message.routingKey(),
					MessageBuilder.withBody(message.payload().getBytes(StandardCharsets.UTF_8))
						.andProperties(properties)
						.build());
			return true;
		}
		catch (AmqpException ex) {
			log.warn("Could not publish outbox message {} to {}: {}", message.id(), message.routingKey(),
					ex.getMessage());
			return false;
		}
	}

	@Override
	public void destroy() {
		this.executor.shutdown();
	}

}
