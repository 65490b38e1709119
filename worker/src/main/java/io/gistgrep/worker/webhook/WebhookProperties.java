package io.gistgrep.worker.webhook;

import java.time.Duration;
import java.util.List;

import io.gistgrep.worker.messaging.RetrySchedule;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook delivery ({@code GISTGREP_WEBHOOKS_*}).
 *
 * @param allowPrivate accept http and private addresses: for tests and local development
 * only
 * @param retryDelays the wait before each retry (Standard Webhooks' example schedule),
 * with up to 50% jitter; a delivery is given up after {@code retryDelays.size() + 1}
 * attempts
 * @param timeout for connecting and for the whole answer
 */
@ConfigurationProperties("gistgrep.webhooks")
record WebhookProperties(@DefaultValue("false") boolean allowPrivate, @DefaultValue( {
		"5s", "5m", "30m", "2h", "5h", "10h", "10h" }) List<Duration> retryDelays,
		@DefaultValue("15s") Duration timeout){

	/** The retries of a delivery that failed: seconds at first, then hours. */
	RetrySchedule retries() {
		return RetrySchedule.of(this.retryDelays);
	}

}
