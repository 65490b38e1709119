package io.gistgrep.db.outbox;

import java.util.List;

/**
 * What became of one outbox row handed to a publisher, as {@link OutboxRepository#relay}
 * acts on it.
 *
 * @param outcome whether the row was sent, refused by the broker, or failed
 * @param refused when {@link Outcome#REFUSED}, the indexes of a batch row's elements the
 * broker refused (empty: the whole row); the others were confirmed
 */
public record Publication(Outcome outcome, List<Integer> refused) {

	private static final Publication SENT = new Publication(Outcome.SENT, List.of());

	private static final Publication FAILED = new Publication(Outcome.FAILED, List.of());

	public Publication {
		refused = List.copyOf(refused);
	}

	/** Every message of the row was confirmed. */
	public static Publication sent() {
		return SENT;
	}

	/**
	 * Nothing is known to have been taken (the broker is unreachable, a confirm did not
	 * come): the row stays unsent and the pass stops.
	 */
	public static Publication failed() {
		return FAILED;
	}

	/**
	 * The broker refused the row (empty {@code indexes}), or these elements of a batch
	 * row, and took the rest: its queue is full. The refused part stays unsent; the pass
	 * leaves the other rows to that queue alone and goes on with the others.
	 */
	public static Publication refused(List<Integer> indexes) {
		return new Publication(Outcome.REFUSED, indexes);
	}

	public enum Outcome {

		SENT, REFUSED, FAILED

	}

}
