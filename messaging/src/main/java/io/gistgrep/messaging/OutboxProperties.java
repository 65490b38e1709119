package io.gistgrep.messaging;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbox relay ({@code GISTGREP_OUTBOX_*}).
 *
 * @param pollInterval how often the relay looks for rows nobody woke it for (rows of a
 * process that died before its wake-up, or whose publish failed)
 * @param maxBackoff the longest the relay waits before trying again while the broker
 * refuses or fails every publish: after a pass that met a refusal (a full queue) or a
 * failure (the broker is away), the relay waits one poll interval, doubled after every
 * further pass that got nothing through, up to this
 * @param testOnlyHold FOR TESTS ONLY, empty (off) by default: routing keys whose rows
 * this relay leaves unsent, as a process that committed and died before publishing would.
 * The crash tests set it; a deployment never should.
 */
@ConfigurationProperties("gistgrep.outbox")
record OutboxProperties(@DefaultValue("1s") Duration pollInterval, @DefaultValue("30s") Duration maxBackoff,
		@DefaultValue List<String> testOnlyHold) {

	OutboxProperties {
		testOnlyHold = List.copyOf(testOnlyHold);
		if (pollInterval.isNegative() || pollInterval.isZero() || maxBackoff.compareTo(pollInterval) < 0) {
			throw new IllegalArgumentException("gistgrep.outbox.max-backoff (GISTGREP_OUTBOX_MAX_BACKOFF) must be at "
					+ "least gistgrep.outbox.poll-interval (" + pollInterval + "), was " + maxBackoff);
		}
	}

}
