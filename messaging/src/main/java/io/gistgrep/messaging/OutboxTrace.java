package io.gistgrep.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * Carries a trace across the outbox, which breaks the thread: the row is written in the
 * caller's span (a submission's request, a listener's message) and published later by the
 * relay on a thread of its own.
 * <ul>
 * <li>Writing: a {@code gistgrep.outbox.write} observation, child of the current one,
 * whose W3C {@code traceparent} is stored with the row. Without a current observation (a
 * scheduled repair) or without a tracer, nothing is stored.</li>
 * <li>Publishing: a {@code gistgrep.outbox.relay} observation whose parent is the stored
 * context; the RabbitTemplate's own observation, inside it, then puts a child of the
 * writer's trace in the message's headers. A fan-out's messages are published unobserved
 * ({@link ConfirmedPublisher#publishEach}): one {@code gistgrep.outbox.fan-out}
 * observation, inside the relay's, gives every message of the fan-out the same trace
 * context ({@link #fanOut}). A row without a stored context publishes outside any trace,
 * as before.</li>
 * </ul>
 * Observations only (no tracer here): the apps' Micrometer Tracing bridge turns them into
 * spans and propagates their context.
 */
public final class OutboxTrace {

	static final String TRACEPARENT = "traceparent";

	private static final String QUEUE = "queue";

	private final ObservationRegistry observations;

	public OutboxTrace(ObservationRegistry observations) {
		this.observations = observations;
	}

	/**
	 * The trace context to store with a row to {@code routingKey} written now; null
	 * outside an observation, or when no tracer propagates one.
	 */
	@Nullable String current(String routingKey) {
		if (this.observations.getCurrentObservation() == null) {
			return null;
		}
		Map<String, String> carrier = new HashMap<>();
		SenderContext<Map<String, String>> context = new SenderContext<>(Map::put, Kind.PRODUCER);
		context.setCarrier(carrier);
		context.addLowCardinalityKeyValue(KeyValue.of(QUEUE, routingKey));
		Observation.createNotStarted("gistgrep.outbox.write", () -> context, this.observations).start().stop();
		return carrier.get(TRACEPARENT);
	}

	/**
	 * The headers that carry the current trace to the messages of a fan-out to
	 * {@code routingKey}, published unobserved: the context of one
	 * {@code gistgrep.outbox.fan-out} observation, a child of the current one (the
	 * relay's); empty outside an observation, or when no tracer propagates one.
	 */
	Map<String, String> fanOut(String routingKey) {
		if (this.observations.getCurrentObservation() == null) {
			return Map.of();
		}
		Map<String, String> carrier = new HashMap<>();
		SenderContext<Map<String, String>> context = new SenderContext<>(Map::put, Kind.PRODUCER);
		context.setCarrier(carrier);
		context.addLowCardinalityKeyValue(KeyValue.of(QUEUE, routingKey));
		Observation.createNotStarted("gistgrep.outbox.fan-out", () -> context, this.observations).start().stop();
		return carrier;
	}

	/**
	 * Runs {@code publish} (the relay's publish of a row to {@code routingKey}) in the
	 * trace of {@code traceparent}, or as it is when the row stored none.
	 */
	<T> T publishIn(@Nullable String traceparent, String routingKey, Supplier<T> publish) {
		if (traceparent == null) {
			return publish.get();
		}
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get, Kind.CONSUMER);
		context.setCarrier(Map.of(TRACEPARENT, traceparent));
		context.addLowCardinalityKeyValue(KeyValue.of(QUEUE, routingKey));
		return Observation.createNotStarted("gistgrep.outbox.relay", () -> context, this.observations).observe(publish);
	}

}
