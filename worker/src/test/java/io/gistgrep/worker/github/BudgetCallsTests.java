package io.gistgrep.worker.github;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The shared budget's calls gathered into one script call, on a real Redis. To make the
 * calls meet, Redis holds back scripts ({@code CLIENT PAUSE ... WRITE}) while the first
 * call is in it and the others queue behind it; then the others go together.
 */
class BudgetCallsTests {

	private final String host = "raw-" + UUID.randomUUID() + ".example";

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

	private final GitHubTesting testing = new GitHubTesting(Map.of("raw.rate", "100", "raw.max-concurrency", "5"),
			this.meters);

	private final HostBudget budget = this.testing.hostBudget();

	private final StringRedisTemplate redis = this.testing.redis();

	@AfterEach
	void unpause() {
		client("UNPAUSE");
		this.threads.close();
	}

	@Test
	void leasesTakenWhileAScriptCallIsInRedisGoTogetherInTheNextAndTheCapStillHolds() {
		List<CompletableFuture<HostBudget.Lease>> leases = together(8, () -> this.budget.acquire(this.host));

		await().atMost(Duration.ofSeconds(10))
			.until(() -> leases.stream().filter(CompletableFuture::isDone).count() == 5);
		assertThat(leasesHeld()).as("the cap, 5 slots").isEqualTo(5);
		// The first call went alone, the 7 others in one script call (the 3 left out try
		// again, each alone).
		assertThat(gathered().max()).isEqualTo(7);

		// The three left out wait for slots, and get those given back.
		leases.stream().filter(CompletableFuture::isDone).toList().forEach((lease) -> lease.join().answered(true));
		await().atMost(Duration.ofSeconds(5)).until(() -> leases.stream().allMatch(CompletableFuture::isDone));
		assertThat(leases).allSatisfy((lease) -> assertThat(lease).isCompletedWithValueMatching((l) -> l != null));
		assertThat(leasesHeld()).isEqualTo(3);
	}

	@Test
	void goodAnswersGivenBackTogetherRaiseTheRateAsMuchAsOneByOne() {
		List<HostBudget.Lease> leases = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			leases.add(this.budget.acquire(this.host));
		}
		this.redis.opsForHash().put("gistgrep:github:host:" + this.host, "rate", "4");
		long before = gathered().count();

		AtomicInteger next = new AtomicInteger();
		List<CompletableFuture<Boolean>> given = together(5, () -> {
			leases.get(next.getAndIncrement()).answered(true);
			return true;
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> given.stream().allMatch(CompletableFuture::isDone));
		assertThat(gathered().count() - before).as("script calls: the first alone, then the 4 others").isEqualTo(2);
		assertThat(leasesHeld()).isZero();
		double expected = 4;
		for (int i = 0; i < 5; i++) {
			expected += 1 / expected;
		}
		assertThat(
				Double.parseDouble((String) this.redis.opsForHash().get("gistgrep:github:host:" + this.host, "rate")))
			.isCloseTo(expected, within(1e-9));
	}

	@Test
	void anInterruptedCallerStillSendsItsCallToRedisAndKeepsItsInterrupt() throws Exception {
		CompletableFuture<Boolean> stillInterrupted = CompletableFuture.supplyAsync(() -> {
			Thread.currentThread().interrupt();
			this.budget.acquire(this.host);
			return Thread.currentThread().isInterrupted();
		}, this.threads);

		assertThat(stillInterrupted.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(leasesHeld()).as("the lease is Redis', not the local budget's").isOne();
	}

	/**
	 * Runs {@code call} {@code n} times on virtual threads, the first while Redis holds
	 * scripts back, the others once it is in Redis; lets Redis go once they all queued.
	 */
	private <T> List<CompletableFuture<T>> together(int n, Supplier<T> call) {
		client("PAUSE", "10000", "WRITE");
		List<CompletableFuture<T>> calls = new ArrayList<>();
		calls.add(CompletableFuture.supplyAsync(call, this.threads));
		BudgetCalls gathering = this.budget.calls();
		await().atMost(Duration.ofSeconds(5)).until(() -> gathering.sending() && gathering.queued() == 0);
		for (int i = 1; i < n; i++) {
			calls.add(CompletableFuture.supplyAsync(call, this.threads));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> gathering.queued() == n - 1);
		assertThat(calls).noneMatch(CompletableFuture::isDone);
		client("UNPAUSE");
		return calls;
	}

	private void client(String... args) {
		byte[][] bytes = new byte[args.length][];
		for (int i = 0; i < args.length; i++) {
			bytes[i] = args[i].getBytes(StandardCharsets.US_ASCII);
		}
		this.redis.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", bytes));
	}

	private long leasesHeld() {
		Long size = this.redis.opsForZSet().size("gistgrep:github:host:" + this.host + ":leases");
		return (size != null) ? size : 0;
	}

	private DistributionSummary gathered() {
		return this.meters.get("gistgrep.github.host.budget.gathered").tag("host", this.host).summary();
	}

}
