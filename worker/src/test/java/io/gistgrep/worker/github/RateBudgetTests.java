package io.gistgrep.worker.github;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The shared budget, on a real Redis: two instances stand for two workers. */
class RateBudgetTests {

	private final String one = "one-" + UUID.randomUUID();

	private final String two = "two-" + UUID.randomUUID();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private RateBudget budget(String tokens) {
		return new GitHubTesting(Map.of("tokens", tokens), this.meters).budget();
	}

	private static long inAMinute() {
		return Instant.now().plusSeconds(60).getEpochSecond();
	}

	@Test
	void aSpentTokenIsNotUsedByAnyWorkerUntilItsReset() {
		RateBudget worker1 = budget(this.one);
		RateBudget worker2 = budget(this.one);
		RateBudget.Credential credential = worker1.acquire(null);
		long reset = inAMinute();

		worker1.record(credential, 0, reset, false);

		assertThatExceptionOfType(GitHubException.RateLimited.class).isThrownBy(() -> worker2.acquire(null))
			.satisfies((ex) -> assertThat(ex.retryAt()).isEqualTo(Instant.ofEpochSecond(reset)));
		assertThat(this.meters.get("gistgrep.github.budget.remaining").tag("token", credential.id()).gauge().value())
			.isZero();
	}

	@Test
	void eachAcquireReservesOneRequestSoWorkersCannotOvershootTheLastOne() {
		RateBudget worker1 = budget(this.one);
		RateBudget worker2 = budget(this.one);
		worker1.record(worker1.acquire(null), 2, inAMinute(), false);

		worker1.acquire(null);
		worker2.acquire(null);

		assertThatExceptionOfType(GitHubException.RateLimited.class).isThrownBy(() -> worker1.acquire(null));
	}

	@Test
	void aNotModifiedAnswerGivesItsRequestBack() {
		RateBudget budget = budget(this.one);
		long reset = inAMinute();
		budget.record(budget.acquire(null), 1, reset, false);
		RateBudget.Credential credential = budget.acquire(null);

		budget.record(credential, 1, reset, true);

		assertThat(budget.acquire(null)).isEqualTo(credential);
	}

	@Test
	void theTokenWithTheMostLeftIsUsedAndASpentOneIsPassedOver() {
		RateBudget budget = budget(this.one + "," + this.two);
		RateBudget.Credential first = budget.credentials().get(0);
		RateBudget.Credential second = budget.credentials().get(1);
		budget.record(first, 10, inAMinute(), false);
		budget.record(second, 0, inAMinute(), false);

		Set<RateBudget.Credential> used = new HashSet<>();
		for (int i = 0; i < 5; i++) {
			used.add(budget.acquire(second));
		}

		assertThat(used).containsExactly(first);
	}

	@Test
	void unknownBudgetsAreSpreadOverEveryToken() {
		RateBudget budget = budget(this.one + "," + this.two);

		Set<RateBudget.Credential> used = new HashSet<>();
		for (int i = 0; i < 4; i++) {
			used.add(budget.acquire(null));
		}

		assertThat(used).containsExactlyInAnyOrderElementsOf(budget.credentials());
	}

	@Test
	void aSecondaryLimitBlocksATokenUntilItsRetryAfterWhenEveryTokenIsBlocked() {
		RateBudget budget = budget(this.one + "," + this.two);
		Instant soon = Instant.now().plusSeconds(30);
		Instant later = Instant.now().plusSeconds(90);
		budget.block(budget.credentials().get(0), later);
		assertThat(budget.acquire(null)).isEqualTo(budget.credentials().get(1));

		budget.block(budget.credentials().get(1), soon);

		assertThatExceptionOfType(GitHubException.RateLimited.class).isThrownBy(() -> budget.acquire(null))
			.satisfies((ex) -> assertThat(ex.retryAt().toEpochMilli()).isEqualTo(soon.toEpochMilli()));
	}

	@Test
	void tokensAreKnownByAHashNeverByThemselves() {
		RateBudget budget = budget(this.one);

		assertThat(budget.credentials().getFirst().id()).startsWith("token-").doesNotContain(this.one);
		assertThat(budget.credentials().getFirst().toString()).doesNotContain(this.one);
	}

	@Test
	void thePreferredTokenIsTakenOverOneWithMoreLeftUnlessItIsNearlySpent() {
		RateBudget budget = budget(this.one + "," + this.two);
		RateBudget.Credential one = budget.credentials().get(0);
		RateBudget.Credential two = budget.credentials().get(1);
		long reset = inAMinute();
		budget.record(one, 100, reset, false);
		budget.record(two, 4000, reset, false);

		assertThat(budget.acquire(one)).isEqualTo(one);

		budget.record(one, RateBudget.PREFERRED_ABOVE, reset, false);
		assertThat(budget.acquire(one)).isEqualTo(two);
	}

	@Test
	void aRevokedTokenIsSkippedByEveryWorkerAndWhenNoneIsLeftTheCredentialsAreBad() {
		RateBudget worker1 = budget(this.one + "," + this.two);
		RateBudget worker2 = budget(this.one + "," + this.two);
		RateBudget.Credential one = worker1.credentials().get(0);

		worker1.revoke(one);

		for (int i = 0; i < 4; i++) {
			assertThat(worker2.acquire(one)).isNotEqualTo(one);
		}
		worker2.revoke(worker2.credentials().get(1));
		assertThatExceptionOfType(GitHubException.BadCredentials.class).isThrownBy(() -> worker1.acquire(null));
		assertThat(this.meters.get("gistgrep.github.tokens.revoked").tag("token", one.id()).counter().count()).isOne();
	}

}
