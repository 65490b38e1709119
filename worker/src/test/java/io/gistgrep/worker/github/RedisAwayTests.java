package io.gistgrep.worker.github;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.testing.TcpProxy;
import io.gistgrep.testing.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The caches and the GitHub budgets while Redis is away, on a real Redis behind a
 * {@link TcpProxy} that refuses and cuts this worker's connections: caches miss, the
 * budgets fall back to this worker's local ones, and the shared ones are used again when
 * Redis is back.
 */
class RedisAwayTests {

	private final Map<String, String> services = TestServices.get().properties();

	private final TcpProxy proxy = TcpProxy.to(this.services.get("spring.data.redis.host"),
			Integer.parseInt(this.services.get("spring.data.redis.port")));

	private final JedisConnectionFactory connections = GitHubTesting.connections("127.0.0.1", this.proxy.port());

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final String token = "away-" + UUID.randomUUID();

	private final GitHubTesting worker = new GitHubTesting(
			Map.of("tokens", this.token, "raw.rate", "20", "raw.min-rate", "5", "raw.cool-down", "3s"), this.meters,
			this.connections);

	@AfterEach
	void close() {
		this.connections.destroy();
		this.proxy.close();
	}

	private void redisAway() {
		this.proxy.refuse(true);
		this.proxy.cut();
	}

	private double fallbacks(String use) {
		var counter = this.meters.find("gistgrep.redis.fallbacks").tag("use", use).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void theCachesMissAndKeepNothingWhileRedisIsAwayAndHitAgainWhenItIsBack() {
		ContentCache cache = new ContentCache(this.connections, this.worker.properties(), this.meters,
				this.worker.guard());
		String sha = "blob-" + UUID.randomUUID();
		cache.put(sha, new byte[] { 1, 2, 3 });
		redisAway();

		assertThat(cache.get(sha)).isEmpty();
		cache.put(sha + "-2", new byte[] { 4 });

		assertThat(fallbacks("cache-content")).isEqualTo(2);
		assertThat(this.worker.guard().available()).isFalse();
		this.proxy.refuse(false);
		await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(sha).map((c) -> c.length == 3).orElse(false));
		assertThat(this.worker.guard().available()).isTrue();
		assertThat(cache.get(sha + "-2")).as("not kept while Redis was away").isEmpty();
	}

	@Test
	void aBatchsReadOfTheContentCacheMissesAndItsWriteKeepsNothingWhileRedisIsAway() {
		ContentCache cache = new ContentCache(this.connections, this.worker.properties(), this.meters,
				this.worker.guard());
		String sha = "blob-" + UUID.randomUUID();
		cache.putAll(Map.of(sha, new byte[] { 1, 2, 3 }));
		assertThat(cache.getAll(List.of(sha))).containsOnlyKeys(sha);
		redisAway();

		assertThat(cache.getAll(List.of(sha, sha + "-2"))).isEmpty();
		cache.putAll(Map.of(sha + "-2", new byte[] { 4 }));

		assertThat(fallbacks("cache-content")).isEqualTo(2);
		this.proxy.refuse(false);
		await().atMost(Duration.ofSeconds(5)).until(() -> !cache.getAll(List.of(sha)).isEmpty());
		assertThat(cache.getAll(List.of(sha + "-2"))).as("not kept while Redis was away").isEmpty();
	}

	@Test
	void theGitHubBudgetFallsBackToALocalOneThatKeepsAReserveAndPacesRequests() {
		RateBudget budget = this.worker.budget();
		RateBudget.Credential credential = budget.acquire(null);
		long reset = Instant.now().plusSeconds(60).getEpochSecond();
		budget.record(credential, LocalTokenBudget.RESERVE + 2, reset, false);
		redisAway();

		long started = System.nanoTime();
		assertThat(budget.acquire(null)).isEqualTo(credential);
		assertThat(budget.acquire(null)).as("the second waits for its slot").isEqualTo(credential);
		long tookMillis = (System.nanoTime() - started) / 1_000_000;

		assertThat(tookMillis).as("at most %s request a second from this worker", LocalTokenBudget.RATE)
			.isGreaterThanOrEqualTo(900);
		assertThatExceptionOfType(GitHubException.RateLimited.class).as("the reserve is left unspent")
			.isThrownBy(() -> budget.acquire(null))
			.satisfies((ex) -> assertThat(ex.retryAt()).isEqualTo(Instant.ofEpochSecond(reset)));
		assertThat(fallbacks("budget-github")).isGreaterThanOrEqualTo(3);
	}

	@Test
	void theSharedGitHubBudgetIsUsedAgainWhenRedisIsBack() {
		RateBudget budget = this.worker.budget();
		RateBudget other = new GitHubTesting(Map.of("tokens", this.token), new SimpleMeterRegistry()).budget();
		RateBudget.Credential credential = budget.acquire(null);
		long reset = Instant.now().plusSeconds(60).getEpochSecond();
		other.record(credential, 2, reset, false);
		redisAway();
		budget.record(credential, 1, reset, false);
		assertThatExceptionOfType(GitHubException.RateLimited.class).as("locally, the reserve is left unspent")
			.isThrownBy(() -> budget.acquire(null));

		this.proxy.refuse(false);
		await().atMost(Duration.ofSeconds(5)).until(() -> succeeds(budget));
		other.acquire(null);

		assertThat(this.worker.guard().available()).isTrue();
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.as("the two requests Redis held were reserved, one by each worker")
			.isThrownBy(() -> budget.acquire(null));
	}

	private static boolean succeeds(RateBudget budget) {
		try {
			budget.acquire(null);
			return true;
		}
		catch (GitHubException.RateLimited ex) {
			return false;
		}
	}

	@Test
	void aContentHostIsPacedAndBackedOffLocallyWhileRedisIsAway() {
		HostBudget hosts = this.worker.hostBudget();
		String host = "raw-" + UUID.randomUUID() + ".example";
		redisAway();

		try (HostBudget.Lease lease = hosts.acquire(host)) {
			lease.answered(true);
		}
		try (HostBudget.Lease lease = hosts.acquire(host)) {
			GitHubException.RateLimited parked = lease.throttled(429, null);
			assertThat(parked.retryAt()).isAfter(Instant.now().plusSeconds(2));
		}

		assertThatExceptionOfType(GitHubException.RateLimited.class).as("backed off locally for the cool-down")
			.isThrownBy(() -> hosts.acquire(host));
		assertThat(fallbacks("budget-host")).isGreaterThanOrEqualTo(3);
	}

	@Test
	void aSharedSlotWhoseReleaseFailedWhileRedisWasAwayIsGivenBackAsSoonAsRedisAnswers() {
		GitHubTesting oneSlot = new GitHubTesting(Map.of("raw.rate", "20", "raw.max-concurrency", "1"), this.meters,
				this.connections);
		HostBudget hosts = oneSlot.hostBudget();
		String host = "raw-" + UUID.randomUUID() + ".example";
		String leases = "gistgrep:github:host:" + host + ":leases";
		try (HostBudget.Lease lease = hosts.acquire(host)) {
			assertThat(oneSlot.redis().opsForZSet().size(leases)).as("the host's one slot, shared").isEqualTo(1);
			redisAway();
			lease.answered(true);
		}
		assertThat(hosts.pendingReleases()).isEqualTo(1);

		this.proxy.refuse(false);

		// Without the release kept for later, the slot would stay taken for a lease's
		// length (minutes): every shared acquire would wait and be parked meanwhile.
		await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
			try (HostBudget.Lease lease = hosts.acquire(host)) {
				lease.answered(true);
			}
			return hosts.pendingReleases() == 0 && oneSlot.redis().opsForZSet().size(leases) == 0;
		});
	}

}
