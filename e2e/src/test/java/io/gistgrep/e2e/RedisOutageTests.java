package io.gistgrep.e2e;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.gistgrep.testing.TcpProxy;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.redis.RedisGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis restarted during a job, on a stack of its own whose apps reach Redis through a
 * {@link TcpProxy}: every connection cut and new ones refused for at least 5 s, until the
 * job has counted gists without Redis. The job does not fail and ends exact: caches miss,
 * the GitHub budgets are local meanwhile, the api's rate limiter lets requests through
 * unchecked (it fails open), readiness stays UP (Redis is part of neither app's), and all
 * of it recovers by itself.
 */
class RedisOutageTests {

	private static final Logger log = LoggerFactory.getLogger(RedisOutageTests.class);

	private static final String NAME = "redisout";

	private static TcpProxy redis;

	private static OutageStack stack;

	@BeforeAll
	static void start() {
		Map<String, String> services = new HashMap<>(TestServices.get().isolated(NAME));
		redis = TcpProxy.to(services.get("spring.data.redis.host"),
				Integer.parseInt(services.get("spring.data.redis.port")));
		services.put("spring.data.redis.host", "127.0.0.1");
		services.put("spring.data.redis.port", Integer.toString(redis.port()));
		stack = new OutageStack(NAME, services);
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void aJobDuringARedisRestartEndsExactWithCachesMissingAndLocalBudgetsAndEverythingRecovers() {
		// Big enough to outlast the outage with batch consumers (a few hundred gists/s):
		// the worker sees Redis back through the calls of the job still running.
		SimUser user = stack.sim.addUser(SyntheticUsers.generate("restart-" + suffix(), 5000, 14));
		String id = stack.calls.submit(user.login(), "TODO");
		await().atMost(Duration.ofSeconds(90)).until(() -> stack.counted(id) >= 100);
		RedisGuard guard = stack.worker.getBean(RedisGuard.class);

		redis.refuse(true);
		redis.cut();
		long stoppedAt = System.nanoTime();
		int countedAtStop = stack.counted(id);
		// Away for at least 5 s, and until the job has counted gists without Redis: on
		// the
		// local budget (a request or so in flight, a few a second) a batch of scans takes
		// seconds to complete, so a fixed window may end before any batch does.
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
			assertThat(stack.calls.get("/jobs/" + id).status()).as("the api answers without Redis").isEqualTo(200);
			assertThat(stack.status(stack.apiManagement, "/actuator/health/readiness")).as("api readiness")
				.isEqualTo(200);
			assertThat(stack.status(stack.workerManagement, "/actuator/health/readiness")).as("worker readiness")
				.isEqualTo(200);
			return System.nanoTime() - stoppedAt >= Duration.ofSeconds(5).toNanos()
					&& stack.counted(id) > countedAtStop;
		});
		int countedWhileAway = stack.counted(id) - countedAtStop;
		long awayMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
		assertThat(guard.available()).as("the worker saw Redis go").isFalse();
		assertThat(stack.counted(id)).as("the job still runs when Redis comes back").isLessThan(5000);
		redis.refuse(false);
		long restartedAt = System.nanoTime();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(guard::available);
		long recoveredMillis = (System.nanoTime() - restartedAt) / 1_000_000;
		JsonNode job = stack.finished(id, Duration.ofSeconds(180));

		log.info(
				"Redis away for {} ms: {} gists counted meanwhile on local budgets; the worker used Redis again {} ms"
						+ " after it came back; the job ended {} ms after it",
				awayMillis, countedWhileAway, recoveredMillis, (System.nanoTime() - restartedAt) / 1_000_000);
		stack.assertExact(job, user, "TODO");
		assertThat(countedWhileAway).as("the job went on while Redis was away").isPositive();
		MeterRegistry workerMeters = stack.worker.getBean(MeterRegistry.class);
		assertThat(count(workerMeters, "gistgrep.redis.fallbacks", "use", "budget-host"))
			.as("raw fetches on the local host budget")
			.isPositive();
		assertThat(count(workerMeters, "gistgrep.redis.fallbacks", "use", "cache-scan")).as("scan cache misses")
			.isPositive();
		assertThat(count(stack.api.getBean(MeterRegistry.class), "gistgrep.ratelimit.unchecked", "limit", "reads"))
			.as("the rate limiter failed open")
			.isPositive();
		assertThat(stack.calls.get("/jobs/" + id).header("RateLimit")).as("rate limits are checked again").isNotNull();
	}

	private static double count(MeterRegistry meters, String name, String tag, String value) {
		Counter counter = meters.find(name).tag(tag, value).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
