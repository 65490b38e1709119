package io.gistgrep.worker.messaging;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryScheduleTests {

	private final RetrySchedule schedule = RetrySchedule
		.of(List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(2)));

	@Test
	void eachRetryWaitsItsDelayPlusAtMostHalfOfItMore() {
		RandomGenerator random = new SplittableRandom(42);
		for (int i = 0; i < 2000; i++) {
			assertThat(this.schedule.delay(1, random)).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500));
			assertThat(this.schedule.delay(3, random)).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(3));
		}
	}

	@Test
	void theJitterReachesBothEndsOfItsRange() {
		assertThat(this.schedule.delay(2, fixed(0))).isEqualTo(Duration.ofSeconds(5));
		assertThat(this.schedule.delay(2, fixed(Long.MAX_VALUE))).isEqualTo(Duration.ofMillis(7500));
	}

	@Test
	void withoutJitterTheDelayIsExact() {
		RetrySchedule exact = new RetrySchedule(List.of(Duration.ofSeconds(5)), 0);
		assertThat(exact.delay(1)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void theScheduleIsExhaustedAfterOneAttemptMoreThanItHasDelays() {
		assertThat(this.schedule.maxAttempts()).isEqualTo(4);
		assertThat(this.schedule.exhausted(1)).isFalse();
		assertThat(this.schedule.exhausted(3)).isFalse();
		assertThat(this.schedule.exhausted(4)).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> this.schedule.delay(4))
			.withMessage("No retry follows attempt 4 of 4 attempts");
	}

	@Test
	void anEmptyScheduleRetriesNothing() {
		RetrySchedule none = RetrySchedule.of(List.of());
		assertThat(none.maxAttempts()).isOne();
		assertThat(none.exhausted(1)).isTrue();
	}

	@Test
	void nonPositiveDelaysAndJitterOutsideZeroToOneAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RetrySchedule.of(List.of(Duration.ZERO)));
		assertThatIllegalArgumentException().isThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(1)), 1.5))
			.withMessage("Retry jitter must be between 0 and 1, not 1.5");
	}

	/** A generator whose bounded longs are all the highest (or lowest) allowed. */
	private static RandomGenerator fixed(long value) {
		return new RandomGenerator() {
			@Override
			public long nextLong() {
				return value;
			}

			@Override
			public long nextLong(long bound) {
				return (value == 0) ? 0 : bound - 1;
			}
		};
	}

}
