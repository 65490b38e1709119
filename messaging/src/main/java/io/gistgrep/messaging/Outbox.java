package io.gistgrep.messaging;

import java.util.List;

import io.gistgrep.common.task.Queues;
import io.gistgrep.db.outbox.OutboxRepository;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way to send a message that must follow a commit: the message is written to the
 * outbox in the caller's transaction, and {@link OutboxRelay} publishes it, with a
 * confirm, once that transaction has committed (woken at once by {@link Written}, and
 * polling as a safety net). A message is therefore sent if and only if its transaction
 * commits, whenever a process dies. Each row keeps the writer's trace context
 * ({@link OutboxTrace}), so that the message continues the writer's trace.
 */
@Component
public class Outbox {

	private final OutboxRepository rows;

	private final ApplicationEventPublisher events;

	private final OutboxTrace trace;

	Outbox(OutboxRepository rows, ApplicationEventPublisher events, OutboxTrace trace) {
		this.rows = rows;
		this.events = events;
		this.trace = trace;
	}

	/**
	 * Sends {@code message} to the work queue {@code routingKey} after the commit. Only
	 * inside a transaction: outside one, nothing would tie the message to a commit.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void add(String routingKey, Object message) {
		this.rows.add(Queues.EXCHANGE, routingKey, message, this.trace.current(routingKey));
		this.events.publishEvent(new Written(routingKey));
	}

	/**
	 * Sends {@code json}, as it is, to the work queue {@code routingKey} after the
	 * commit: a dead letter re-driven, whose body is not ours to parse again.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void addJson(String routingKey, String json) {
		this.rows.addJson(Queues.EXCHANGE, routingKey, json, this.trace.current(routingKey));
		this.events.publishEvent(new Written(routingKey));
	}

	/**
	 * Sends every message to the work queue {@code routingKey} after the commit, from one
	 * outbox row (a listing page's fan-out of up to 100 scans).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void addAll(String routingKey, List<?> messages) {
		if (messages.isEmpty()) {
			return;
		}
		this.rows.addBatch(Queues.EXCHANGE, routingKey, messages, this.trace.current(routingKey));
		this.events.publishEvent(new Written(routingKey));
	}

	/**
	 * Published in the transaction that wrote an outbox row; the relay hears it after the
	 * commit.
	 */
	public record Written(String routingKey) {

	}

}
