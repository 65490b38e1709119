package io.gistgrep.api.retention;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.RunningApi;
import io.gistgrep.db.analytics.TenantSettingsRepository;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.job.JobRepository;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.gistgrep.api.retention.AJob.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The {@code analytics_*} views (migration V19) on the real database, before and after
 * {@link RetentionTask} deleted the jobs they count (in batches of two:
 * {@link RunningApi}). Each test has tenants of its own, so other tests' jobs never
 * count.
 */
class AnalyticsTests extends RunningApi {

	private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(100);

	private static final Instant NOON = DAY.atTime(12, 0).toInstant(ZoneOffset.UTC);

	@Autowired
	RetentionTask retention;

	@Autowired
	JobRepository jobs;

	@Autowired
	GistRepository gists;

	@Autowired
	TenantSettingsRepository settings;

	@Autowired
	JdbcClient jdbc;

	@Test
	void theViewsAnswerTheSameAfterRetentionDeletedTheJobsTheyCounted() {
		String tenant = tenant();
		UUID slowest = insert(
				aJob(tenant, NOON).by("bob", "needle").ended("failed", Duration.ofSeconds(40)).gists(2, 1, 0, 0, 1));
		UUID largest = insert(aJob(tenant, NOON).by("alice", "needle")
			.ended("succeeded", Duration.ofMillis(1500))
			.gists(4, 3, 2, 1, 0)
			.scannedFile("a.txt", 200, 3)
			.scannedFile("b.txt", 100, 2)
			.skippedFile("c.bin", 999));
		insert(aJob(tenant, NOON).by("alice", "other")
			.ended("cancelled", Duration.ofMillis(500))
			.gists(null, 0, 0, 0, 0));
		UUID live = insert(aJob(tenant, NOON).by("carol", "needle").running().gists(5, 1, 1, 0, 0));

		Map<String, Object> daily = single("SELECT * FROM analytics_daily WHERE tenant = :tenant", tenant);
		assertThat(daily).containsEntry("day", Date.valueOf(DAY))
			.containsEntry("searches", 4L)
			.containsEntry("users", 3L)
			.containsEntry("jobs_queued", 0L)
			.containsEntry("jobs_running", 1L)
			.containsEntry("jobs_succeeded", 1L)
			.containsEntry("jobs_failed", 1L)
			.containsEntry("jobs_cancelled", 1L)
			.containsEntry("jobs_matched", 2L)
			.containsEntry("gists_total", 11L)
			.containsEntry("gists_scanned", 5L)
			.containsEntry("gists_matched", 3L)
			.containsEntry("gists_skipped", 1L)
			.containsEntry("gists_failed", 1L)
			.containsEntry("match_lines", 5L)
			.containsEntry("bytes_scanned", 300L)
			.containsEntry("duration_ms_p50", 2000L)
			.containsEntry("duration_ms_p95", 60000L)
			.containsEntry("duration_ms_max", 40000L);
		assertThat((Double) daily.get("gist_match_rate")).isCloseTo(0.6, within(1e-9));
		assertThat((Double) daily.get("job_match_rate")).isCloseTo(0.5, within(1e-9));
		assertThat((Double) daily.get("duration_ms_avg")).isCloseTo(14000.0, within(1e-6));
		List<Map<String, Object>> users = rows(
				"SELECT username, searches, patterns, jobs_matched, match_lines FROM analytics_users"
						+ " WHERE tenant = :tenant ORDER BY searches DESC, username",
				tenant);
		assertThat(users).extracting((u) -> u.get("username")).containsExactly("alice", "bob", "carol");
		assertThat(users.getFirst()).containsEntry("searches", 2L)
			.containsEntry("patterns", 2L)
			.containsEntry("match_lines", 5L);
		List<Map<String, Object>> patterns = rows(
				"SELECT pattern_sha256, pattern, searches, users, jobs_matched FROM analytics_patterns"
						+ " WHERE tenant = :tenant ORDER BY searches DESC",
				tenant);
		assertThat(patterns).extracting((p) -> p.get("pattern_sha256"))
			.containsExactly(sha256("needle"), sha256("other"));
		assertThat(patterns.getFirst()).containsEntry("searches", 3L).containsEntry("users", 3L);
		Map<String, Object> slowestBefore = first(
				"SELECT * FROM analytics_slowest_jobs WHERE tenant = :tenant ORDER BY duration_ms DESC", tenant);
		assertThat(slowestBefore).containsEntry("job_id", slowest)
			.containsEntry("duration_ms", 40000L)
			.containsEntry("username", "bob");
		Map<String, Object> largestBefore = first(
				"SELECT * FROM analytics_largest_jobs WHERE tenant = :tenant ORDER BY gists_total DESC, bytes_scanned DESC",
				tenant);
		assertThat(largestBefore).containsEntry("job_id", largest)
			.containsEntry("gists_total", 4L)
			.containsEntry("bytes_scanned", 300L);

		assertThat(this.retention.purge().ran()).isTrue();

		assertThat(this.jdbc.sql("SELECT id FROM jobs WHERE tenant = :tenant")
			.param("tenant", tenant)
			.query(UUID.class)
			.list()).as("only the running job is left").containsExactly(live);
		assertThat(count("SELECT count(*) FROM analytics_rollup WHERE tenant = :tenant", tenant)).isEqualTo(3);
		assertThat(single("SELECT * FROM analytics_daily WHERE tenant = :tenant", tenant)).isEqualTo(daily);
		assertThat(rows("SELECT username, searches, patterns, jobs_matched, match_lines FROM analytics_users"
				+ " WHERE tenant = :tenant ORDER BY searches DESC, username", tenant))
			.isEqualTo(users);
		assertThat(rows("SELECT pattern_sha256, pattern, searches, users, jobs_matched FROM analytics_patterns"
				+ " WHERE tenant = :tenant ORDER BY searches DESC", tenant))
			.isEqualTo(patterns);
		assertThat(
				first("SELECT * FROM analytics_slowest_jobs WHERE tenant = :tenant ORDER BY duration_ms DESC", tenant))
			.as("a rolled-up group keeps its maximum, not its job")
			.containsEntry("job_id", null)
			.containsEntry("duration_ms", 40000L)
			.containsEntry("username", "bob");
		assertThat(first(
				"SELECT * FROM analytics_largest_jobs WHERE tenant = :tenant ORDER BY gists_total DESC, bytes_scanned DESC",
				tenant))
			.containsEntry("job_id", null)
			.containsEntry("gists_total", 4L)
			.containsEntry("bytes_scanned", 300L)
			.containsEntry("username", "alice");
		assertThat(count("SELECT sum(jobs) FROM analytics_finished_jobs WHERE tenant = :tenant", tenant))
			.as("every finished job counted once in the slowest and largest lists")
			.isEqualTo(3);
	}

	@Test
	void aDaySplitOverTwoRetentionRunsIsCountedOnce() {
		String tenant = tenant();
		for (int i = 0; i < 3; i++) {
			insert(aJob(tenant, NOON.plusSeconds(i)).by("alice", "needle")
				.ended("succeeded", Duration.ofMillis(500))
				.gists(2, 2, 1, 0, 0)
				.scannedFile("a.txt", 10, 1));
		}
		UUID later = insert(aJob(tenant, NOON.plusSeconds(60)).by("alice", "needle")
			.running()
			.gists(2, 2, 1, 0, 0)
			.scannedFile("a.txt", 10, 1));

		assertThat(this.retention.purge().ran()).isTrue();
		Map<String, Object> afterFirstRun = single("SELECT * FROM analytics_rollup WHERE tenant = :tenant", tenant);
		assertThat(afterFirstRun).as("three jobs, over two batches of two, in one row")
			.containsEntry("jobs", 3L)
			.containsEntry("gists_scanned", 6L)
			.containsEntry("match_lines", 3L);
		this.jdbc.sql(
				"UPDATE jobs SET status = 'succeeded', finished_at = created_at + interval '45 seconds' WHERE id = :id")
			.param("id", later)
			.update();
		Map<String, Object> before = single("SELECT * FROM analytics_daily WHERE tenant = :tenant", tenant);
		assertThat(before).containsEntry("searches", 4L).containsEntry("jobs_succeeded", 4L);

		assertThat(this.retention.purge().ran()).isTrue();

		assertThat(this.jobs.find(later)).isEmpty();
		Map<String, Object> rollup = single("SELECT * FROM analytics_rollup WHERE tenant = :tenant", tenant);
		assertThat(rollup).containsEntry("day", Date.valueOf(DAY))
			.containsEntry("jobs", 4L)
			.containsEntry("jobs_succeeded", 4L)
			.containsEntry("jobs_matched", 4L)
			.containsEntry("gists_total", 8L)
			.containsEntry("gists_scanned", 8L)
			.containsEntry("gists_matched", 4L)
			.containsEntry("match_lines", 4L)
			.containsEntry("bytes_scanned", 40L)
			.containsEntry("duration_ms_sum", 46500L)
			.containsEntry("duration_ms_max", 45000L);
		assertThat(this.jdbc.sql("SELECT duration_histogram::text FROM analytics_rollup WHERE tenant = :tenant")
			.param("tenant", tenant)
			.query(String.class)
			.single()).isEqualTo("{3,0,0,0,0,1,0,0,0,0,0,0}");
		assertThat(single("SELECT * FROM analytics_daily WHERE tenant = :tenant", tenant)).isEqualTo(before);
	}

	@Test
	void patternTextsAreKeptOnlyForTenantsThatAllowItAndTheirHashesAlways() {
		String hidden = tenant();
		String shown = tenant();
		this.settings.setAnalyticsPatternText(shown, true);
		String secret = "ghp_[A-Za-z0-9]{36}";
		insert(aJob(hidden, NOON).by("alice", secret).ended("succeeded", Duration.ofSeconds(1)));
		insert(aJob(shown, NOON).by("alice", secret).ended("succeeded", Duration.ofSeconds(1)));
		insert(aJob(hidden, NOON).by("alice", secret).running());
		insert(aJob(shown, NOON).by("alice", secret).running());

		for (boolean purged : List.of(false, true)) {
			assertThat(patternRow(hidden)).as("purged: %s", purged)
				.containsEntry("pattern_sha256", sha256(secret))
				.containsEntry("pattern", null)
				.containsEntry("searches", 2L);
			assertThat(patternRow(shown)).as("purged: %s", purged)
				.containsEntry("pattern_sha256", sha256(secret))
				.containsEntry("pattern", secret)
				.containsEntry("searches", 2L);
			assertThat(first("SELECT * FROM analytics_slowest_jobs WHERE tenant = :tenant ORDER BY duration_ms DESC",
					hidden))
				.containsEntry("pattern", null);
			assertThat(first("SELECT * FROM analytics_slowest_jobs WHERE tenant = :tenant ORDER BY duration_ms DESC",
					shown))
				.containsEntry("pattern", secret);
			assertThat(this.retention.purge().ran()).isTrue();
		}
		assertThat(count("SELECT count(*) FROM analytics_rollup WHERE tenant = :tenant", hidden)).isOne();
		assertThat(count("SELECT count(*) FROM analytics_pattern_texts WHERE tenant = :tenant", hidden)).isZero();
		assertThat(count(
				"SELECT count(*) FROM analytics_pattern_texts WHERE tenant = :tenant AND pattern = '" + secret + "'",
				shown))
			.isOne();

		this.jdbc.sql("DELETE FROM jobs WHERE tenant IN (:tenants) AND status = 'running'")
			.param("tenants", List.of(hidden, shown))
			.update();
		assertThat(patternRow(shown)).as("the text the rollup kept, with no live job left")
			.containsEntry("pattern", secret)
			.containsEntry("searches", 1L);
		assertThat(patternRow(hidden)).containsEntry("pattern", null).containsEntry("searches", 1L);

		this.settings.setAnalyticsPatternText(shown, false);

		assertThat(count("SELECT count(*) FROM analytics_pattern_texts WHERE tenant = :tenant", shown))
			.as("turning the setting off forgets the texts kept")
			.isZero();
		assertThat(patternRow(shown)).containsEntry("pattern", null).containsEntry("pattern_sha256", sha256(secret));
	}

	private UUID insert(AJob job) {
		return job.insert(this.jobs, this.gists, this.jdbc);
	}

	private Map<String, Object> patternRow(String tenant) {
		return single("SELECT pattern_sha256, pattern, searches FROM analytics_patterns WHERE tenant = :tenant",
				tenant);
	}

	private List<Map<String, Object>> rows(String sql, String tenant) {
		return this.jdbc.sql(sql).param("tenant", tenant).query().listOfRows();
	}

	private Map<String, Object> single(String sql, String tenant) {
		List<Map<String, Object>> rows = rows(sql, tenant);
		assertThat(rows).hasSize(1);
		return rows.getFirst();
	}

	private Map<String, Object> first(String sql, String tenant) {
		List<Map<String, Object>> rows = rows(sql, tenant);
		assertThat(rows).isNotEmpty();
		return rows.getFirst();
	}

	private long count(String sql, String tenant) {
		return this.jdbc.sql(sql).param("tenant", tenant).query(Long.class).single();
	}

	private static String tenant() {
		return "a-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
