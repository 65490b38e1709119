package io.gistgrep.api.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

import io.gistgrep.db.deadletter.DeadLetter;
import io.gistgrep.db.deadletter.DeadLetterRepository;
import io.gistgrep.messaging.Outbox;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends stored dead letters back to the queues they came from. In one transaction, the
 * letters are claimed ({@code FOR UPDATE SKIP LOCKED}), written to the outbox and marked
 * re-driven: a letter is sent again if and only if it is marked, and two redrives at once
 * never send one twice.
 * <ul>
 * <li>The body goes back as it was, without its headers: a re-driven task starts again
 * with its attempts and parks forgotten, and the broker's {@code x-death} history stays
 * in the table.</li>
 * <li>Only letters whose routing key is a work queue are sent: anything else would be
 * unroutable, and the outbox would try to publish it for ever.</li>
 * </ul>
 */
@Component
class DeadLetterRedrive {

	/** The most letters one call sends back; the answer says how many remain. */
	static final int BATCH = 1000;

	private final DeadLetterRepository letters;

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	private final MeterRegistry meters;

	DeadLetterRedrive(DeadLetterRepository letters, Outbox outbox, TransactionTemplate transaction,
			MeterRegistry meters) {
		this.letters = letters;
		this.outbox = outbox;
		this.transaction = transaction;
		this.meters = meters;
	}

	/** What a redrive did. */
	record Result(int redriven, long remaining) {

	}

	/**
	 * Sends back up to {@value #BATCH} letters waiting whose routing key is one of
	 * {@code queues}, oldest first.
	 */
	Result redrive(Collection<String> queues) {
		List<DeadLetter> sent = this.transaction.execute((status) -> {
			List<DeadLetter> claimed = this.letters.claimPending(queues, BATCH);
			for (DeadLetter letter : claimed) {
				this.outbox.addJson(letter.routingKey(), new String(letter.payload(), StandardCharsets.UTF_8));
			}
			this.letters.markRedriven(claimed.stream().map(DeadLetter::id).toList());
			return claimed;
		});
		for (DeadLetter letter : sent) {
			this.meters.counter("gistgrep.dead-letters.redriven", "queue", letter.queue()).increment();
		}
		return new Result(sent.size(), this.letters.pending(queues));
	}

}
