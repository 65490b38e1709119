package io.gistgrep.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.gistgrep.db.outbox.OutboxMessage;
import io.gistgrep.db.outbox.OutboxRepository;
import io.gistgrep.db.outbox.Publication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
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
 * <p>
 * Back-pressure: the scan queue has a length limit that rejects publishes
 * ({@link BrokerPolicies}). A message the broker refuses (a nack) stays in the outbox,
 * or, for the refused part of a fan-out, goes back in as a new row
 * ({@link OutboxRepository#relay}); the rows to the same queue wait for the next pass,
 * the others go on. After a pass with a refusal or a failure the relay waits
 * ({@link RelayBackoff}: a poll interval, doubling while nothing gets through, up to
 * {@code gistgrep.outbox.max-backoff}) instead of spinning. The outbox absorbs the
 * excess. Meters: {@code gistgrep.outbox.refused} (messages nacked),
 * {@code gistgrep.outbox.failed} (publishes that failed),
 * {@code gistgrep.outbox.backoffs}.
 */
@Untraced
@Component
public class OutboxRelay implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final int BATCH = 100;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final OutboxRepository outbox;

	private final ConfirmedPublisher publisher;

	private final OutboxTrace trace;

	private final List<String> held;

	private final ExecutorService executor = Executors
		.newSingleThreadExecutor(Thread.ofVirtual().name("outbox-relay").factory());

	private final AtomicBoolean wanted = new AtomicBoolean();

	private final RelayBackoff backoff;

	private final Counter refused;

	private final Counter failed;

	private final Counter backoffs;

	/** Whether the current pass met a refusal or a failure (guarded by this). */
	private boolean troubled;

	/**
	 * Whether the current pass met a failure: the broker is likely gone (guarded by
	 * this).
	 */
	private boolean broken;

	/**
	 * The routing keys whose queue refused a message in the current pass (guarded by
	 * this).
	 */
	private final Set<String> full = new HashSet<>();

	OutboxRelay(OutboxRepository outbox, ConfirmedPublisher publisher, OutboxTrace trace, OutboxProperties properties,
			MeterRegistry meters) {
		this.outbox = outbox;
		this.publisher = publisher;
		this.trace = trace;
		this.backoff = new RelayBackoff(properties.pollInterval(), properties.maxBackoff());
		this.refused = Counter.builder("gistgrep.outbox.refused")
			.description("Messages the broker refused (a full queue); they stay in the outbox")
			.register(meters);
		this.failed = Counter.builder("gistgrep.outbox.failed")
			.description("Outbox rows whose publish failed (broker unreachable, no confirm)")
			.register(meters);
		this.backoffs = Counter.builder("gistgrep.outbox.backoffs")
			.description("Passes of the outbox relay followed by a wait")
			.register(meters);
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

	/**
	 * Connects to the broker once the app is ready, on the relay's thread (a first drain
	 * waits for it), instead of at the first publish: the api otherwise opened its
	 * connection and channel while its first job waited to start (about 50 ms, and more
	 * on a busy machine). A broker that is away is only logged: the relay connects when
	 * it next publishes.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void connectEarly() {
		try {
			this.executor.execute(() -> {
				try {
					this.publisher.connect();
				}
				catch (AmqpException ex) {
					log.info("The outbox relay could not connect to the broker yet ({}); it connects when it "
							+ "next publishes", ex.toString());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			log.debug("The outbox relay is shut down before it connected", ex);
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

	/**
	 * Publishes until the outbox is empty or the broker fails; does nothing while backing
	 * off. A routing key whose queue refused a message (full) is skipped for the rest of
	 * the pass, and the pass goes on with the others, so that a full scan queue does not
	 * hold back job starts, listing pages and webhooks behind its rows. Synchronized: the
	 * relay's thread calls it, and so do tests.
	 */
	synchronized void drain() {
		if (!this.backoff.ready(Instant.now())) {
			return;
		}
		this.troubled = false;
		this.broken = false;
		this.full.clear();
		Set<String> skipped = new HashSet<>(this.held);
		int total = 0;
		try {
			boolean more;
			do {
				int skippedBefore = skipped.size();
				int sent = this.outbox.relay(BATCH, skipped, this::publish);
				total += sent;
				skipped.addAll(this.full);
				// Again while a whole batch went, or a queue filled up: the rows behind
				// its
				// rows, to other queues, may go.
				more = !this.broken && (sent == BATCH || skipped.size() > skippedBefore);
			}
			while (more);
		}
		catch (RuntimeException ex) {
			this.troubled = true;
			log.warn("The outbox relay stopped; it tries again at its next poll", ex);
		}
		Duration wait = this.backoff.passed(Instant.now(), this.troubled, total > 0);
		if (!wait.isZero()) {
			this.backoffs.increment();
			log.debug("The outbox relay waits {} before its next pass", wait);
		}
	}

	private Publication publish(OutboxMessage message) {
		Publication publication = attempt(message);
		switch (publication.outcome()) {
			case REFUSED -> {
				this.troubled = true;
				this.full.add(message.routingKey());
			}
			case FAILED -> {
				this.troubled = true;
				this.broken = true;
			}
			case SENT -> {
			}
		}
		return publication;
	}

	/** Publishes the row in the trace that wrote it ({@link OutboxTrace}). */
	private Publication attempt(OutboxMessage message) {
		return this.trace.publishIn(message.traceparent(), message.routingKey(), () -> attemptTraced(message));
	}

	private Publication attemptTraced(OutboxMessage message) {
		try {
			if (message.batch()) {
				// A crash between these publishes and marking the row sent publishes the
				// whole fan-out again: safe, because a scan of a gist already counted
				// changes nothing (ScanListener checks the gist is still pending).
				// Published unobserved: every message carries the trace of one span
				// for the whole fan-out.
				Map<String, String> trace = this.trace.fanOut(message.routingKey());
				List<Message> messages = new ArrayList<>();
				int index = 0;
				for (JsonNode element : JSON.readTree(message.payload())) {
					Message each = message(messageId(message) + "-" + index++, JSON.writeValueAsBytes(element));
					trace.forEach(each.getMessageProperties()::setHeader);
					messages.add(each);
				}
				List<Integer> refusedIndexes = this.publisher.publishEach(message.exchange(), message.routingKey(),
						messages);
				if (!refusedIndexes.isEmpty()) {
					this.refused.increment(refusedIndexes.size());
					log.info(
							"The broker refused {} of the {} messages of outbox row {} to {} (queue full); "
									+ "they stay in the outbox",
							refusedIndexes.size(), messages.size(), message.id(), message.routingKey());
					return Publication.refused(refusedIndexes);
				}
			}
			else {
				this.publisher.publish(message.exchange(), message.routingKey(),
						message(messageId(message), message.payload().getBytes(StandardCharsets.UTF_8)));
			}
			return Publication.sent();
		}
		catch (ConfirmedPublisher.Refused ex) {
			this.refused.increment();
			log.info("The broker refused outbox message {} to {} (queue full); it stays in the outbox", message.id(),
					message.routingKey());
			return Publication.refused(List.of());
		}
		catch (AmqpException ex) {
			this.failed.increment();
			log.warn("Could not publish outbox message {} to {}: {}", message.id(), message.routingKey(),
					ex.getMessage());
			return Publication.failed();
		}
		catch (RuntimeException ex) {
			// A row the relay cannot read (a batch payload that is not a JSON array): the
			// rows published before it in this pass stay marked sent, instead of the
			// whole
			// pass rolling back and publishing them again at every poll.
			this.failed.increment();
			log.error("Outbox message {} to {} cannot be published as stored", message.id(), message.routingKey(), ex);
			return Publication.failed();
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
