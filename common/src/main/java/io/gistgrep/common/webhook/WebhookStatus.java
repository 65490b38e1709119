package io.gistgrep.common.webhook;

import java.util.Locale;
import java.util.Set;

/**
 * The life of one webhook delivery. {@link #moveTo} is the one place that says which
 * moves are legal; the repository repeats it as a {@code WHERE status = 'pending'} guard
 * so that a redelivered message cannot record an attempt twice.
 * <ul>
 * <li>{@code pending}: not delivered yet, another attempt is due (a failed attempt with
 * retries left keeps it pending);</li>
 * <li>{@code delivered}: the receiver answered 2xx;</li>
 * <li>{@code failed}: the retries are exhausted;</li>
 * <li>{@code gone}: the receiver answered 410, asking never to be called again.</li>
 * </ul>
 */
public enum WebhookStatus {

	PENDING, DELIVERED, FAILED, GONE;

	public boolean isFinished() {
		return this != PENDING;
	}

	/** The statuses a delivery may move to from this one. */
	public Set<WebhookStatus> successors() {
		return switch (this) {
			case PENDING -> Set.of(PENDING, DELIVERED, FAILED, GONE);
			case DELIVERED, FAILED, GONE -> Set.of();
		};
	}

	/**
	 * The status after an attempt.
	 * @throws IllegalWebhookTransitionException when this status does not allow it
	 */
	public WebhookStatus moveTo(WebhookStatus next) {
		if (!successors().contains(next)) {
			throw new IllegalWebhookTransitionException(this, next);
		}
		return next;
	}

	/** The lower-case name used in JSON and in the database. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static WebhookStatus fromValue(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

	/** Thrown when a delivery is asked to make a move its status does not allow. */
	public static final class IllegalWebhookTransitionException extends RuntimeException {

		private final WebhookStatus from;

		private final WebhookStatus to;

		IllegalWebhookTransitionException(WebhookStatus from, WebhookStatus to) {
			super("A webhook delivery cannot change from " + from.value() + " to " + to.value());
			this.from = from;
			this.to = to;
		}

		public WebhookStatus from() {
			return this.from;
		}

		public WebhookStatus to() {
			return this.to;
		}

	}

}
