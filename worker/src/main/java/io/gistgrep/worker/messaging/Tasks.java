package io.gistgrep.worker.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.gistgrep.messaging.ConfirmedPublisher;
import io.gistgrep.messaging.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.stereotype.Component;

/**
 * The retry policy of every consumer, in one place.
 * <ul>
 * <li>A task whose work throws is retried later, on the {@link RetrySchedule} of
 * {@link WorkerProperties#retries()}, by publishing a copy through a delay queue: never
 * in a hot loop, never by a sleeping thread. When the schedule is exhausted the task is
 * given up: the consumer's {@code giveUp} records the failure.</li>
 * <li>A task whose failure says when to try again ({@link RetryAt}, e.g. GitHub's rate
 * limit) is parked until then, without counting as an attempt; one that bounds its parks
 * (a secondary limit) is given up after that many in a row, its count kept in
 * {@value #PARKS}.</li>
 * <li>The copy is published with a confirm before the original is acknowledged, so a task
 * is never lost between the two. This is the one publish that does not go through the
 * outbox ({@code io.gistgrep.messaging.Outbox}), and needs not: it follows no commit,
 * only the delivery it replaces, which the broker redelivers if this process dies before
 * the confirm.</li>
 * <li>When that copy cannot be published (the broker refuses or does not confirm it), or
 * giving up fails (the database is away), the task is returned to its queue
 * ({@link ImmediateRequeueAmqpException}), never dead-lettered: the consumers reject
 * without requeueing by default, and a dead-lettered task would leave its job waiting for
 * a count that never comes. The broker redelivers it. Up to RabbitMQ 4.2 that counts
 * against the queue's delivery limit, so a failure that persists still ends in the dead
 * letters after that many tries (the stuck-job reaper then repairs the job); from 4.3 the
 * container's {@code basic.nack} does not count, and the task comes back until the
 * failure clears, each try paced by the failing call's timeout.</li>
 * </ul>
 */
@Component
public class Tasks {

	static final String ATTEMPT = "x-gistgrep-attempt";

	static final String NOT_BEFORE = "x-gistgrep-not-before";

	static final String PARKED_SINCE = "x-gistgrep-parked-since";

	/**
	 * How many times in a row a bounded failure (a secondary rate limit) parked the task.
	 */
	static final String PARKS = "x-gistgrep-parks";

	/**
	 * Parks shorter than this are not told to the job: a wait for a slot or a token of a
	 * content host's budget lasts a second or two, and is not worth a write to the job's
	 * row for each parked task.
	 */
	static final Duration NOTICE_AFTER = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(Tasks.class);

	private final ConfirmedPublisher publisher;

	private final RetrySchedule retries;

	private final MeterRegistry meters;

	private final Clock clock = Clock.systemUTC();

	Tasks(ConfirmedPublisher publisher, WorkerProperties properties, MeterRegistry meters) {
		this.publisher = publisher;
		this.retries = properties.retries();
		this.meters = meters;
	}

	/**
	 * Runs {@code work} for {@code message}, or defers it. When this returns, the message
	 * may be acknowledged; when it throws, the message must go back to its queue (an
	 * {@link ImmediateRequeueAmqpException}, which the container requeues).
	 */
	public void run(Message message, Runnable work, Consumer<RuntimeException> giveUp) {
		run(message, work, giveUp, (until) -> {
		});
	}

	/**
	 * Runs {@code work} for {@code message}, or defers it, as
	 * {@link #run(Message, Runnable, Consumer)}; when the work is parked (a rate limit),
	 * {@code parked} is told until when, after the parked copy is published. A failure of
	 * {@code parked} is logged and counted, not thrown: the task is safely parked by
	 * then.
	 */
	public void run(Message message, Runnable work, Consumer<RuntimeException> giveUp, Consumer<Instant> parked) {
		try {
			runOrDefer(message, work, giveUp, parked);
		}
		catch (Unsettled ex) {
			this.meters.counter("gistgrep.tasks.requeued", "queue", routingKey(message)).increment();
			log.warn("A {} task goes back to its queue: {}", routingKey(message), ex.getMessage(), ex.getCause());
			throw new ImmediateRequeueAmqpException(ex.getMessage(), ex.getCause());
		}
	}

	/**
	 * The first step of {@link #run}, for a consumer that runs the work of several
	 * messages itself (a batch): whether {@code message} may run now. When it may not
	 * yet, its copy is deferred until then, and the message may be acknowledged.
	 * @throws ImmediateRequeueAmqpException when the copy could not be published: the
	 * message must go back to its queue
	 */
	public boolean due(Message message) {
		return settled(message, () -> !deferredUntilDue(message));
	}

	/**
	 * The last step of {@link #run} when the work succeeded, for a consumer that runs the
	 * work itself: the message may be acknowledged.
	 */
	public void succeeded(Message message) {
		recordParkedTime(message);
	}

	/**
	 * The last step of {@link #run} when the work threw {@code failure}, for a consumer
	 * that runs the work itself: the task is retried, parked or given up as
	 * {@link #run(Message, Runnable, Consumer, Consumer)} says; when this returns, the
	 * message may be acknowledged.
	 * @throws ImmediateRequeueAmqpException when the message must go back to its queue
	 */
	public void failed(Message message, RuntimeException failure, Consumer<RuntimeException> giveUp,
			Consumer<Instant> parked) {
		settled(message, () -> {
			afterFailure(message, failure, giveUp, parked, this.clock.instant());
			return true;
		});
	}

	private boolean settled(Message message, BooleanSupplier step) {
		try {
			return step.getAsBoolean();
		}
		catch (Unsettled ex) {
			this.meters.counter("gistgrep.tasks.requeued", "queue", routingKey(message)).increment();
			log.warn("A {} task goes back to its queue: {}", routingKey(message), ex.getMessage(), ex.getCause());
			throw new ImmediateRequeueAmqpException(ex.getMessage(), ex.getCause());
		}
	}

	private boolean deferredUntilDue(Message message) {
		Instant notBefore = notBefore(message);
		if (notBefore != null && !dueNow(message)) {
			defer(message, attempt(message), notBefore);
			return true;
		}
		return false;
	}

	/**
	 * Whether the task is due now, as {@link #due} would find it, without deferring it:
	 * for a consumer that plans a batch's work before running each task.
	 */
	public boolean dueNow(Message message) {
		Instant notBefore = notBefore(message);
		return notBefore == null || !notBefore.isAfter(this.clock.instant().plusMillis(100));
	}

	private void runOrDefer(Message message, Runnable work, Consumer<RuntimeException> giveUp,
			Consumer<Instant> parked) {
		Instant now = this.clock.instant();
		if (deferredUntilDue(message)) {
			return;
		}
		try {
			work.run();
			recordParkedTime(message);
		}
		catch (RuntimeException ex) {
			afterFailure(message, ex, giveUp, parked, now);
		}
	}

	private void afterFailure(Message message, RuntimeException ex, Consumer<RuntimeException> giveUp,
			Consumer<Instant> parked, Instant now) {
		if (ex instanceof RetryAt retryAt) {
			park(message, retryAt, ex, giveUp).filter((until) -> until.isAfter(now.plus(NOTICE_AFTER)))
				.ifPresent((until) -> tell(parked, until, message));
			return;
		}
		recordParkedTime(message);
		int attempt = attempt(message) + 1;
		if (this.retries.exhausted(attempt)) {
			log.error("Giving up a {} task after {} attempts", routingKey(message), attempt, ex);
			this.meters.counter("gistgrep.tasks.given-up", "queue", routingKey(message)).increment();
			giveUp(giveUp, ex);
			return;
		}
		Duration delay = this.retries.delay(attempt);
		log.warn("Attempt {} of a {} task failed, retrying in {}: {}", attempt, routingKey(message), delay,
				ex.toString());
		this.meters.counter("gistgrep.tasks.retried", "queue", routingKey(message)).increment();
		Instant from = this.clock.instant();
		defer(message, attempt, from, from.plus(delay), Parking.CLEAR, 0);
	}

	private static void giveUp(Consumer<RuntimeException> giveUp, RuntimeException failure) {
		try {
			giveUp.accept(failure);
		}
		catch (RuntimeException ex) {
			throw new Unsettled("giving it up failed", ex);
		}
	}

	private void tell(Consumer<Instant> parked, Instant until, Message message) {
		try {
			parked.accept(until);
		}
		catch (RuntimeException ex) {
			this.meters.counter("gistgrep.tasks.park-notice-failed", "queue", routingKey(message)).increment();
			log.warn("A {} task was parked until {}, but recording the wait failed", routingKey(message), until, ex);
		}
	}

	/**
	 * Parks a task until its failure says; a bounded failure ({@link RetryAt#maxParks()})
	 * counts its parks in a row, and is given up after that many.
	 * @return until when the task is parked; empty when it was given up instead
	 */
	private Optional<Instant> park(Message message, RetryAt parked, RuntimeException ex,
			Consumer<RuntimeException> giveUp) {
		int parks = parks(message) + 1;
		if (parked.maxParks() > 0 && parks > parked.maxParks()) {
			log.error("Giving up a {} task after {} parks: {}", routingKey(message), parked.maxParks(),
					ex.getMessage());
			recordParkedTime(message);
			this.meters.counter("gistgrep.tasks.given-up", "queue", routingKey(message)).increment();
			giveUp(giveUp, ex);
			return Optional.empty();
		}
		Instant until = (parked.maxParks() > 0) ? parked.retryAt(parks) : parked.retryAt();
		log.info("Parking a {} task until {}: {}", routingKey(message), until, ex.getMessage());
		this.meters.counter("gistgrep.tasks.parked", "queue", routingKey(message)).increment();
		defer(message, attempt(message), this.clock.instant(), until,
				(parked.maxParks() > 0) ? Parking.COUNT : Parking.START, parks);
		return Optional.of(until);
	}

	/**
	 * Defers {@code message} until {@code until} through the delay queues, keeping its
	 * attempt count; the caller acknowledges the original once this returns. When the
	 * copy cannot be published, this throws an {@link ImmediateRequeueAmqpException}, and
	 * the original goes back to its queue.
	 */
	public void deferUntil(Message message, Instant until) {
		try {
			defer(message, attempt(message), until);
		}
		catch (Unsettled ex) {
			this.meters.counter("gistgrep.tasks.requeued", "queue", routingKey(message)).increment();
			throw new ImmediateRequeueAmqpException(ex.getMessage(), ex.getCause());
		}
	}

	/**
	 * Records how long a task that a rate limit parked waited, from its first parking
	 * until it ran again.
	 */
	private void recordParkedTime(Message message) {
		Object since = message.getMessageProperties().getHeader(PARKED_SINCE);
		if (since instanceof Number millis) {
			Duration parked = Duration.between(Instant.ofEpochMilli(millis.longValue()), this.clock.instant());
			Timer.builder("gistgrep.tasks.parked.time")
				.description("Time tasks spent parked by GitHub rate limits")
				.tag("queue", routingKey(message))
				.register(this.meters)
				.record(parked.isNegative() ? Duration.ZERO : parked);
		}
	}

	private void defer(Message message, int attempt, Instant until) {
		defer(message, attempt, this.clock.instant(), until, Parking.KEEP, 0);
	}

	/**
	 * What a deferred copy says of parking: a parked task remembers when it was first
	 * parked (to measure the time parked) and how often in a row a bounded failure parked
	 * it; a retry after it ran again forgets both.
	 */
	private enum Parking {

		KEEP, START, COUNT, CLEAR

	}

	/**
	 * The tier is chosen for the wait from {@code from}, the instant {@code until} was
	 * computed from, so that a retry delay of exactly one tier waits in that tier.
	 */
	private void defer(Message message, int attempt, Instant from, Instant until, Parking parking, int parks) {
		Duration wait = Duration.between(from, until);
		Duration tier = tierFor(wait);
		var copy = MessageBuilder.withBody(message.getBody())
			.copyProperties(message.getMessageProperties())
			.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
			.setHeader(ATTEMPT, attempt)
			.setHeader(NOT_BEFORE, until.toEpochMilli());
		switch (parking) {
			case START -> copy.setHeaderIfAbsent(PARKED_SINCE, this.clock.millis());
			case COUNT -> copy.setHeaderIfAbsent(PARKED_SINCE, this.clock.millis()).setHeader(PARKS, parks);
			case CLEAR -> copy.removeHeader(PARKED_SINCE).removeHeader(PARKS);
			case KEEP -> {
			}
		}
		try {
			this.publisher.publish(Topology.delayExchange(tier), routingKey(message), copy.build());
		}
		catch (RuntimeException ex) {
			throw new Unsettled("its deferred copy could not be published", ex);
		}
	}

	/**
	 * The longest delay tier that does not overshoot {@code wait}; the shortest at least.
	 */
	static Duration tierFor(Duration wait) {
		List<Duration> tiers = Topology.DELAY_TIERS;
		Duration chosen = tiers.getFirst();
		for (Duration tier : tiers) {
			if (tier.compareTo(wait) <= 0) {
				chosen = tier;
			}
		}
		return chosen;
	}

	/**
	 * A task that could be neither acknowledged nor deferred: it goes back to its queue.
	 */
	private static final class Unsettled extends RuntimeException {

		Unsettled(String message, RuntimeException cause) {
			super(message, cause);
		}

	}

	private static String routingKey(Message message) {
		return message.getMessageProperties().getReceivedRoutingKey();
	}

	private static int parks(Message message) {
		Object value = message.getMessageProperties().getHeader(PARKS);
		return (value instanceof Number n) ? n.intValue() : 0;
	}

	private static int attempt(Message message) {
		Object value = message.getMessageProperties().getHeader(ATTEMPT);
		return (value instanceof Number n) ? n.intValue() : 0;
	}

	private static @Nullable Instant notBefore(Message message) {
		Object value = message.getMessageProperties().getHeader(NOT_BEFORE);
		return (value instanceof Number n) ? Instant.ofEpochMilli(n.longValue()) : null;
	}

}
