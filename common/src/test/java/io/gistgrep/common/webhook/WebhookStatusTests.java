package io.gistgrep.common.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WebhookStatusTests {

	@ParameterizedTest
	@EnumSource(WebhookStatus.class)
	void aPendingDeliveryMayMoveAnywhereAfterAnAttempt(WebhookStatus to) {
		assertThat(WebhookStatus.PENDING.moveTo(to)).isEqualTo(to);
	}

	@ParameterizedTest
	@CsvSource({ "DELIVERED,PENDING", "DELIVERED,FAILED", "FAILED,PENDING", "FAILED,DELIVERED", "GONE,PENDING",
			"GONE,GONE" })
	void aFinishedDeliveryIsRefusedAnyMoveWithASentence(WebhookStatus from, WebhookStatus to) {
		assertThatExceptionOfType(WebhookStatus.IllegalWebhookTransitionException.class)
			.isThrownBy(() -> from.moveTo(to))
			.withMessage("A webhook delivery cannot change from " + from.value() + " to " + to.value())
			.satisfies((ex) -> {
				assertThat(ex.from()).isEqualTo(from);
				assertThat(ex.to()).isEqualTo(to);
			});
		assertThat(from.isFinished()).isTrue();
	}

	@Test
	void valuesRoundTripThroughTheLowerCaseNamesStoredInTheDatabase() {
		for (WebhookStatus status : WebhookStatus.values()) {
			assertThat(WebhookStatus.fromValue(status.value())).isEqualTo(status);
		}
		assertThat(WebhookStatus.GONE.value()).isEqualTo("gone");
		assertThat(WebhookStatus.PENDING.isFinished()).isFalse();
	}

}
