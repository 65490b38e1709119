package io.gistgrep.worker.deadletter;

import java.time.Clock;
import java.time.Duration;

import io.gistgrep.db.deadletter.DeadLetter;
import io.gistgrep.db.deadletter.DeadLetterRepository;
import io.gistgrep.messaging.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.annotation.RabbitListenerConfigurer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistrar;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.stereotype.Component;

/**
 * Drains the dead-letter queue into the {@code dead_letters} table, so that letters are
 * seen (a gauge, a health detail, {@code GET /admin/dead-letters}) rather than left in a
 * queue nobody reads.
 * <ul>
 * <li>A letter is acknowledged only once it is committed (the container acknowledges
 * after this returns; the insert commits on its own). A redelivery after a lost
 * acknowledgement is stored once: {@link Letters} fingerprints it.</li>
 * <li>A letter that cannot be stored (PostgreSQL is down) goes back to the queue after a
 * pause, never rejected: the dead-letter queue has no dead-letter exchange of its own, so
 * a rejected letter would be lost.</li>
 * <li>The queue is consumed, never browsed: a quorum queue counts every delivery, and a
 * broker with a delivery limit on it would drop letters that were only looked at.</li>
 * <li>One consumer per worker, registered as a plain {@link MessageListener} rather than
 * a {@code @RabbitListener}: an annotated method's adapter converts every body with the
 * JSON converter first, and a letter that is not JSON (a likely poison) would fail that
 * conversion, which the container treats as fatal and, since the letter carries
 * {@code x-death}, discards.</li>
 * </ul>
 */
@Component
class DeadLetterListener implements RabbitListenerConfigurer {

	/**
	 * How long a letter that could not be stored is held before it goes back to the
	 * queue: a database outage is not retried in a hot loop.
	 */
	static final Duration STORE_RETRY_PAUSE = Duration.ofSeconds(1);

	private static final Logger log = LoggerFactory.getLogger(DeadLetterListener.class);

	private final DeadLetterRepository letters;

	private final DeadLetterCount count;

	private final MeterRegistry meters;

	private final Clock clock = Clock.systemUTC();

	DeadLetterListener(DeadLetterRepository letters, DeadLetterCount count, MeterRegistry meters) {
		this.letters = letters;
		this.count = count;
		this.meters = meters;
	}

	@Override
	public void configureRabbitListeners(RabbitListenerEndpointRegistrar registrar) {
		SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
		endpoint.setId("gistgrep.dead-letters");
		endpoint.setQueueNames(Topology.DEAD_LETTER_QUEUE);
		endpoint.setConcurrency("1");
		endpoint.setMessageListener((MessageListener) this::store);
		registrar.registerEndpoint(endpoint);
	}

	void store(Message message) {
		DeadLetter.Arrival letter = Letters.arrival(message, this.clock.instant());
		boolean stored;
		try {
			stored = this.letters.store(letter);
		}
		catch (RuntimeException ex) {
			log.error("Could not store a dead letter from {}; it goes back to the dead-letter queue", letter.queue(),
					ex);
			this.meters.counter("gistgrep.dead-letters.store-failed").increment();
			pause();
			throw new ImmediateRequeueAmqpException("The dead letter could not be stored", ex);
		}
		if (stored) {
			log.warn("Stored a dead letter from {} ({}, dead-lettered {} time(s))", letter.queue(), letter.reason(),
					letter.deathCount());
			this.meters.counter("gistgrep.dead-letters.stored", "queue", letter.queue(), "reason", letter.reason())
				.increment();
			this.count.refresh();
		}
		else {
			log.info("A dead letter from {} was delivered again; it is stored already", letter.queue());
		}
	}

	private static void pause() {
		try {
			Thread.sleep(STORE_RETRY_PAUSE);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
