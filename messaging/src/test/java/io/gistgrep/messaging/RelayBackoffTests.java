package io.gistgrep.messaging;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayBackoffTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private final RelayBackoff backoff = new RelayBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));

	@Test
	void aCleanPassWaitsForNothing() {
		assertThat(this.backoff.passed(T0, false, true)).isZero();
		assertThat(this.backoff.ready(T0)).isTrue();
	}

	@Test
	void passesThatGetNothingThroughWaitTwiceAsLongEachTimeUpToTheMaximum() {
		assertThat(this.backoff.passed(T0, true, false)).isEqualTo(Duration.ofMillis(200));
		assertThat(this.backoff.passed(T0, true, false)).isEqualTo(Duration.ofMillis(400));
		assertThat(this.backoff.passed(T0, true, false)).isEqualTo(Duration.ofMillis(800));
		assertThat(this.backoff.passed(T0, true, false)).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.backoff.passed(T0, true, false)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void aTroubledPassThatGotSomethingThroughWaitsOneStepAndACleanOneNone() {
		this.backoff.passed(T0, true, false);
		this.backoff.passed(T0, true, false);

		assertThat(this.backoff.passed(T0, true, true)).isEqualTo(Duration.ofMillis(200));
		assertThat(this.backoff.passed(T0, false, true)).isZero();
	}

	@Test
	void noPassRunsBeforeTheWaitIsOver() {
		this.backoff.passed(T0, true, false);

		assertThat(this.backoff.ready(T0.plusMillis(199))).isFalse();
		assertThat(this.backoff.ready(T0.plusMillis(200))).isTrue();
	}

}
