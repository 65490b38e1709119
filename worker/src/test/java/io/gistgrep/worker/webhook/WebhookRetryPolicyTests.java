package io.gistgrep.worker.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.gistgrep.common.webhook.WebhookStatus;
import io.gistgrep.worker.messaging.RetrySchedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookRetryPolicyTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final WebhookRetryPolicy policy = new WebhookRetryPolicy(
			new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofHours(10)), 0));

	@Test
	void aTwoHundredDeliversTheWebhook() {
		assertThat(this.policy.after(1, answer(204), NOW))
			.isEqualTo(new WebhookRetryPolicy.Next(WebhookStatus.DELIVERED, Optional.empty()));
	}

	@Test
	void aFourHundredTenEndsTheDeliveryAsGoneWhateverRetriesAreLeft() {
		assertThat(this.policy.after(1, answer(410), NOW))
			.isEqualTo(new WebhookRetryPolicy.Next(WebhookStatus.GONE, Optional.empty()));
	}

	@Test
	void aFailedAttemptWithRetriesLeftStaysPendingUntilTheScheduledDelay() {
		assertThat(this.policy.after(2, answer(503), NOW))
			.isEqualTo(new WebhookRetryPolicy.Next(WebhookStatus.PENDING, Optional.of(NOW.plus(Duration.ofHours(10)))));
	}

	@Test
	void aLongerRetryAfterFromTheReceiverWins() {
		WebhookSender.Outcome outcome = new WebhookSender.Outcome(Optional.of(429), Optional.of(Duration.ofMinutes(1)),
				Optional.empty(), 3);
		assertThat(this.policy.after(1, outcome, NOW).nextAttemptAt()).contains(NOW.plus(Duration.ofMinutes(1)));
	}

	@Test
	void aRetryAfterLongerThanTheLongestScheduledDelayIsCutToIt() {
		for (Duration asked : List.of(Duration.ofDays(365), Duration.ofSeconds(99_999_999_999_999L))) {
			WebhookSender.Outcome outcome = new WebhookSender.Outcome(Optional.of(503), Optional.of(asked),
					Optional.empty(), 3);
			assertThat(this.policy.after(1, outcome, NOW).nextAttemptAt()).contains(NOW.plus(Duration.ofHours(10)));
		}
	}

	@Test
	void aFailedAttemptAfterTheLastRetryFailsTheDelivery() {
		WebhookSender.Outcome noAnswer = new WebhookSender.Outcome(Optional.empty(), Optional.empty(),
				Optional.of("connection refused"), 3);
		assertThat(this.policy.after(3, noAnswer, NOW))
			.isEqualTo(new WebhookRetryPolicy.Next(WebhookStatus.FAILED, Optional.empty()));
	}

	private static WebhookSender.Outcome answer(int status) {
		return new WebhookSender.Outcome(Optional.of(status), Optional.empty(), Optional.empty(), 3);
	}

}
