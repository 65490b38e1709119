package io.gistgrep.worker.github;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One content host's adaptive limit in one worker, on a clock the test moves. */
class AdaptiveLimitTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private AdaptiveLimit limit(int initial, int max) {
		return new AdaptiveLimit("raw.example", initial, max, Duration.ofSeconds(1), this.nanos::get, this.meters);
	}

	private List<HostLimiter.Permit> acquire(AdaptiveLimit limit, int permits) {
		List<HostLimiter.Permit> held = new ArrayList<>();
		for (int i = 0; i < permits; i++) {
			held.add(limit.acquire());
		}
		return held;
	}

	private void tick(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	@Test
	void goodAnswersWhileTheLimitIsInUseRaiseItByOneEachUpToTheMax() {
		AdaptiveLimit limit = limit(4, 10);

		for (int round = 0; round < 5; round++) {
			acquire(limit, limit.limit()).forEach(HostLimiter.Permit::answered);
		}

		assertThat(limit.limit()).isEqualTo(10);
		assertThat(limit.maxInFlight()).isEqualTo(10);
		assertThat(this.meters.get("gistgrep.github.host.limit").tag("host", "raw.example").gauge().value())
			.isEqualTo(10);
	}

	@Test
	void goodAnswersWhileLittleOfTheLimitIsUsedLeaveItAlone() {
		AdaptiveLimit limit = limit(8, 32);

		for (int i = 0; i < 20; i++) {
			limit.acquire().answered();
		}

		assertThat(limit.limit()).isEqualTo(8);
	}

	@Test
	void requestsThatWereInFlightTogetherWhenTheHostPushedBackHalveTheLimitOnce() {
		AdaptiveLimit limit = limit(16, 16);
		List<HostLimiter.Permit> together = acquire(limit, 16);
		tick(Duration.ofMillis(50));

		together.forEach(HostLimiter.Permit::dropped);

		assertThat(limit.limit()).isEqualTo(8);
		assertThat(limit.inFlight()).isZero();
	}

	@Test
	void aPushBackOfARequestSentAfterTheLastOneHalvesTheLimitAgainDownToOne() {
		AdaptiveLimit limit = limit(16, 16);
		for (int expected : new int[] { 8, 4, 2, 1, 1 }) {
			HostLimiter.Permit permit = limit.acquire();
			tick(Duration.ofMillis(10));
			permit.dropped();
			assertThat(limit.limit()).isEqualTo(expected);
		}
	}

	@Test
	void aSlowAnswerCountsAsAPushBack() {
		AdaptiveLimit limit = limit(16, 16);
		HostLimiter.Permit permit = limit.acquire();
		tick(Duration.ofMillis(1500));

		permit.answered();

		assertThat(limit.limit()).isEqualTo(8);
	}

	@Test
	void aPermitGivenBackWithoutAVerdictLeavesTheLimitAlone() {
		AdaptiveLimit limit = limit(4, 8);

		acquire(limit, 4).forEach(HostLimiter.Permit::close);

		assertThat(limit.limit()).isEqualTo(4);
		assertThat(limit.inFlight()).isZero();
	}

	@Test
	void aShrunkenLimitHoldsBackWaitersUntilEnoughPermitsCameBack() throws Exception {
		AdaptiveLimit limit = limit(4, 4);
		List<HostLimiter.Permit> held = acquire(limit, 4);
		tick(Duration.ofMillis(10));
		held.getFirst().dropped();
		assertThat(limit.limit()).isEqualTo(2);

		try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
			CompletableFuture<HostLimiter.Permit> waiter = CompletableFuture.supplyAsync(limit::acquire, executor);
			held.get(1).close();
			await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !waiter.isDone());
			held.get(2).close();

			await().atMost(Duration.ofSeconds(5)).until(waiter::isDone);
			assertThat(limit.inFlight()).isEqualTo(2);
		}
	}

	@Test
	void httpsAsksForHttp2AndPlainHttpSpeaksHttp11WithoutAnUpgradeOffer() {
		assertThat(GitHubHttp.version(URI.create("https://gist.githubusercontent.com/a/b/raw/c/d")))
			.isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(GitHubHttp.version(URI.create("http://127.0.0.2:9091/a/b/raw/c/d")))
			.isEqualTo(HttpClient.Version.HTTP_1_1);
	}

}
