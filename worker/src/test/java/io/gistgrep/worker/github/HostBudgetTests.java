package io.gistgrep.worker.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The content hosts' shared budget, on a real Redis: two instances stand for two workers,
 * each test on a host of its own.
 */
class HostBudgetTests {

	private final String host = "raw-" + UUID.randomUUID() + ".example";

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private GitHubTesting testing(Map<String, String> properties) {
		return new GitHubTesting(properties, this.meters);
	}

	private HostBudget budget(Map<String, String> properties) {
		return testing(properties).hostBudget();
	}

	private long field(String name) {
		Object value = testing(Map.of()).redis().opsForHash().get("gistgrep:github:host:" + this.host, name);
		return (value != null) ? (long) Double.parseDouble(value.toString()) : -1;
	}

	private double rate() {
		return this.meters.get("gistgrep.github.host.rate").tag("host", this.host).gauge().value();
	}

	@Test
	void aThrottleBacksTheHostOffForEveryWorkerAndHalvesItsRate() {
		Map<String, String> properties = Map.of("raw.rate", "40", "raw.cool-down", "10s");
		HostBudget worker1 = budget(properties);
		HostBudget worker2 = budget(properties);
		Instant before = Instant.now();

		GitHubException.RateLimited parked = worker1.acquire(this.host).throttled(429, null);

		assertThat(parked.retryAt()).isBetween(before.plusSeconds(10), before.plusSeconds(16));
		assertThatExceptionOfType(GitHubException.RateLimited.class).isThrownBy(() -> worker2.acquire(this.host))
			.satisfies((ex) -> assertThat(ex.retryAt()).isAfterOrEqualTo(Instant.ofEpochMilli(field("cool"))));
		assertThat(rate()).isEqualTo(20.0);
		assertThat(this.meters.get("gistgrep.github.host.cool-downs").tag("host", this.host).counter().count())
			.isEqualTo(1);
		assertThat(this.meters.get("gistgrep.github.host.cooling").tag("host", this.host).gauge().value())
			.isGreaterThan(8);
	}

	@Test
	void coolDownsDoubleWhileThrottlesPersistWithJitterAndNeverExceedTheMax() {
		HostBudget budget = budget(Map.of("raw.cool-down", "1s", "raw.max-cool-down", "3s"));
		long[] waits = new long[3];
		for (int i = 0; i < waits.length; i++) {
			HostBudget.Lease lease = await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.ignoreException(GitHubException.RateLimited.class)
				.until(() -> budget.acquire(this.host), (l) -> true);
			lease.throttled(429, null);
			waits[i] = field("cool") - field("since");
		}

		assertThat(waits[0]).isBetween(1000L, 1250L);
		assertThat(waits[1]).isBetween(2000L, 2500L);
		assertThat(waits[2]).as("4 s and jitter, capped at the max").isEqualTo(3000L);
		assertThat(field("strikes")).isEqualTo(3);
	}

	@Test
	void throttlesOfRequestsSentBeforeTheCoolDownBeganAreOneEpisode() {
		HostBudget budget = budget(Map.of("raw.rate", "40", "raw.cool-down", "5s"));
		HostBudget.Lease first = budget.acquire(this.host);
		HostBudget.Lease second = budget.acquire(this.host);

		first.throttled(429, null);
		long cool = field("cool");
		second.throttled(429, null);

		assertThat(field("strikes")).isEqualTo(1);
		assertThat(field("cool")).isEqualTo(cool);
		assertThat(rate()).isEqualTo(20.0);
	}

	@Test
	void aRetryAfterLongerThanTheCoolDownIsHonoured() {
		HostBudget budget = budget(Map.of("raw.cool-down", "1s"));

		budget.acquire(this.host).throttled(429, Duration.ofSeconds(90));

		assertThat(field("cool") - field("since")).isEqualTo(90_000);
	}

	@Test
	void goodAnswersRaiseTheRateSlowlyAndNeverAboveTheMax() {
		HostBudget budget = budget(Map.of("raw.rate", "8", "raw.cool-down", "1s"));
		budget.acquire(this.host).answered(true);
		assertThat(rate()).as("already at the max").isEqualTo(8.0);
		budget.acquire(this.host).throttled(429, null);
		assertThat(rate()).isEqualTo(4.0);

		for (int i = 0; i < 4; i++) {
			await().atMost(Duration.ofSeconds(5))
				.ignoreException(GitHubException.RateLimited.class)
				.until(() -> budget.acquire(this.host), (l) -> true)
				.answered(true);
		}

		// 4 → 4.25 → 4.485 → 4.708 → 4.920: one request per second more per second of
		// answers at the full rate.
		assertThat(rate()).isBetween(4.91, 4.93);
	}

	@Test
	void aGoodAnswerToARequestSentBeforeAThrottleDoesNotRaiseTheHalvedRate() {
		HostBudget budget = budget(Map.of("raw.rate", "8"));
		HostBudget.Lease early = budget.acquire(this.host);
		budget.acquire(this.host).throttled(429, null);

		early.answered(true);

		assertThat(rate()).isEqualTo(4.0);
	}

	@Test
	void aFailedAnswerNeitherRaisesTheRateNorThrottles() {
		HostBudget budget = budget(Map.of("raw.rate", "8"));
		budget.acquire(this.host).throttled(429, null);
		Map<String, String> fast = Map.of("raw.rate", "8");
		testing(fast).redis().opsForHash().put("gistgrep:github:host:" + this.host, "cool", "0");
		testing(fast).redis().opsForHash().put("gistgrep:github:host:" + this.host, "ts", "0");

		budget.acquire(this.host).answered(false);
		try (HostBudget.Lease lease = budget.acquire(this.host)) {
			// a timeout: no answer at all
		}

		assertThat(rate()).isEqualTo(4.0);
		assertThat(field("strikes")).isEqualTo(1);
	}

	@Test
	void aWaitForATokenLongerThanAShortWhileParksTheWorkInstead() {
		HostBudget budget = budget(Map.of("raw.rate", "0.4", "raw.min-rate", "0.1"));
		budget.acquire(this.host).answered(true);
		Instant before = Instant.now();

		assertThatExceptionOfType(GitHubException.RateLimited.class).isThrownBy(() -> budget.acquire(this.host))
			.satisfies((ex) -> assertThat(ex.retryAt()).isBetween(before.plusMillis(2000), before.plusMillis(4000)));
	}

	@Test
	void theConcurrencyCapHoldsAcrossWorkersAndASlotGivenBackIsTaken() throws Exception {
		Map<String, String> properties = Map.of("raw.max-concurrency", "2", "raw.rate", "1000");
		HostBudget worker1 = budget(properties);
		HostBudget worker2 = budget(properties);
		HostBudget.Lease a = worker1.acquire(this.host);
		worker2.acquire(this.host);

		try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
			CompletableFuture<HostBudget.Lease> third = CompletableFuture.supplyAsync(() -> worker2.acquire(this.host),
					executor);
			assertThat(third).isNotDone();
			a.answered(true);

			await().atMost(Duration.ofSeconds(4)).until(third::isDone);
			assertThat(third.get()).isNotNull();
		}
	}

	@Test
	void theSlotOfAWorkerThatDiedMidRequestLapses() {
		Map<String, String> properties = Map.of("raw.max-concurrency", "1", "raw.rate", "1000", "connect-timeout",
				"100ms", "read-timeout", "100ms");
		budget(properties).acquire(this.host);

		HostBudget.Lease lease = budget(properties).acquire(this.host);

		assertThat(lease).isNotNull();
	}

}
