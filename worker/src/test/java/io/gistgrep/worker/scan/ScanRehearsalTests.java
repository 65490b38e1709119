package io.gistgrep.worker.scan;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.gistgrep.worker.WorkerTesting;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's rehearsed job, in a worker on a database, virtual host and Redis database
 * of its own (its start ran the warm-up, and so a rehearsal, already): it finds what its
 * stand-in of GitHub holds, and leaves nothing behind that a real job would see.
 */
class ScanRehearsalTests {

	private static ConfigurableApplicationContext worker;

	@BeforeAll
	static void start() {
		worker = WorkerTesting.start("rehearsal", "--management.server.port=0");
	}

	@AfterAll
	static void stop() {
		worker.close();
	}

	@Test
	void aRehearsedJobFindsEveryThirdGistOfItsStandInAndNoOther() throws Exception {
		try (ScanRehearsal.Stage stage = worker.getBean(ScanRehearsal.class).open()) {
			assertThat(stage.round()).isEqualTo(ScanRehearsal.GISTS / 3);
			assertThat(stage.round()).as("a second round, on a warm client").isEqualTo(ScanRehearsal.GISTS / 3);
		}
	}

	@Test
	void rehearsalsLeaveNoRowCommittedAndNothingCountedInTheWorkersMetrics() throws Exception {
		try (ScanRehearsal.Stage stage = worker.getBean(ScanRehearsal.class).open()) {
			stage.round();
		}

		JdbcClient jdbc = worker.getBean(JdbcClient.class);
		for (String table : List.of("jobs", "job_gists", "gist_files", "file_matches", "listing_pages", "outbox",
				"webhook_deliveries")) {
			assertThat(jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single()).as(table).isZero();
		}
		MeterRegistry meters = worker.getBean(MeterRegistry.class);
		assertThat(meters.find("gistgrep.gists").counters()).extracting(Counter::count).containsOnly(0.0);
		assertThat(meters.find("gistgrep.github.requests").meters()).isEmpty();
		assertThat(meters.find("gistgrep.scan.bytes").meters()).isEmpty();
		assertThat(meters.find("spring.rabbit.template").meters()).as("the warm-up's broker step").isEmpty();
	}

	@Test
	void whatARehearsalWritesToRedisExpiresItsCachedContentsAndResultsWithinAMinute() throws Exception {
		Set<String> shas;
		String host;
		try (ScanRehearsal.Stage stage = worker.getBean(ScanRehearsal.class).open()) {
			stage.round();
			shas = stage.github().blobShas();
			host = stage.github().standIn().getAuthority();
		}

		StringRedisTemplate redis = worker.getBean(StringRedisTemplate.class);
		assertThat(shas).hasSize(2 * ScanRehearsal.GISTS);
		for (String sha : shas) {
			assertThat(ttl(redis, "gistgrep:github:blob:" + sha)).as("content %s", sha)
				.isPositive()
				.isLessThanOrEqualTo(Duration.ofMinutes(1));
			Set<String> results = redis.keys("gistgrep:scan:v1:" + sha + ":*");
			assertThat(results).as("results of %s", sha).hasSize(1);
			assertThat(ttl(redis, results.iterator().next())).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
		}
		Set<String> budget = redis.keys("gistgrep:github:host:" + host + "*");
		assertThat(budget).as("the stand-in's host budget").isNotEmpty();
		for (String key : budget) {
			assertThat(ttl(redis, key)).as(key).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
		}
		// The made-up token's among them (this run's other tests' tokens expire too).
		Set<String> tokens = redis.keys("gistgrep:github:budget:*");
		assertThat(tokens).isNotEmpty();
		for (String key : tokens) {
			assertThat(ttl(redis, key)).as(key).isPositive().isLessThanOrEqualTo(Duration.ofHours(2));
		}
	}

	private static Duration ttl(StringRedisTemplate redis, String key) {
		Long seconds = redis.getExpire(key);
		assertThat(seconds).as("%s exists", key).isNotNull().isNotEqualTo(-2L);
		return Duration.ofSeconds(seconds);
	}

}
