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
 * @param testOnlyHold FOR TESTS ONLY, empty (off) by default: routing keys whose rows
 * this relay leaves unsent, as a process that committed and died before publishing would.
 * The crash tests set it; a deployment never should.
 */
@ConfigurationProperties("gistgrep.outbox")
record OutboxProperties(@DefaultValue("1s") Duration pollInterval, @DefaultValue List<String> testOnlyHold) {

	OutboxProperties {
		testOnlyHold = List.copyOf(testOnlyHold);
	}

}
