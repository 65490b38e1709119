package io.gistgrep.e2e;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.gistgrep.db.analytics.AnalyticsRepository;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimUser;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The analytics views over a job the whole stack ran (its gists, files and match lines as
 * the worker wrote them), and over its rollup once retention deleted it.
 */
class AnalyticsTests {

	private final Stack stack = Stack.get();

	@Test
	void aJobThatRanIsCountedByTheViewsBeforeAndAfterRetentionDeletedIt() {
		String login = "analytics-" + UUID.randomUUID().toString().substring(0, 8);
		Instant t = Instant.parse("2024-01-01T00:00:00Z");
		SimFile two = SimFile.text("a.txt", "NEEDLE_1\nnothing\nNEEDLE_2 again\n");
		SimFile none = SimFile.text("b.txt", "nothing here\n");
		SimFile one = SimFile.text("c.txt", "x NEEDLE_3\n");
		this.stack.sim.addUser(SimUser.of(login, 770077, SimGist.of("bbbb0000000000000001", null, t, two),
				SimGist.of("bbbb0000000000000002", null, t.plusSeconds(1), none),
				SimGist.of("bbbb0000000000000003", null, t.plusSeconds(2), one)));
		String pattern = "NEEDLE_[0-9]+";
		Stack.Response submitted = this.stack.post("/jobs",
				this.stack.json.writeValueAsString(Map.of("username", login, "pattern", pattern)));
		assertThat(submitted.status()).isEqualTo(202);
		UUID id = UUID.fromString(submitted.json().path("id").asString());
		JdbcClient jdbc = this.stack.api.getBean(JdbcClient.class);
		// Waited for on its row, not through GET /jobs/{id}: the api keeps a succeeded
		// job's document once read, until retention's cut-off as it stood then, and this
		// test moves the job back in time behind the api's back.
		String ended = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> jdbc.sql("SELECT status FROM jobs WHERE id = :id")
				.param("id", id)
				.query(String.class)
				.single(), Set.of("succeeded", "failed", "cancelled")::contains);
		assertThat(ended).isEqualTo("succeeded");
		// As if it had run 31 days ago: retention's cutoff (30 days) is past it, and its
		// day
		// holds no other job.
		jdbc.sql(
				"""
						UPDATE jobs SET created_at = created_at - interval '31 days', started_at = started_at - interval '31 days',
							finished_at = finished_at - interval '31 days' WHERE id = :id""")
			.param("id", id)
			.update();

		String users = "SELECT searches, patterns, jobs_matched, gists_scanned, gists_matched, match_lines"
				+ " FROM analytics_users WHERE tenant = 'e2e' AND username = :login";
		Map<String, Object> user = single(jdbc, users, login);
		assertThat(user).containsEntry("searches", 1L)
			.containsEntry("patterns", 1L)
			.containsEntry("jobs_matched", 1L)
			.containsEntry("gists_scanned", 3L)
			.containsEntry("gists_matched", 2L)
			.containsEntry("match_lines", 3L);
		String daily = "SELECT d.* FROM analytics_daily d JOIN analytics_users u USING (day, tenant)"
				+ " WHERE d.tenant = 'e2e' AND u.username = :login";
		Map<String, Object> day = single(jdbc, daily, login);
		assertThat(day).containsEntry("searches", 1L)
			.containsEntry("jobs_succeeded", 1L)
			.containsEntry("bytes_scanned", (long) (two.size() + none.size() + one.size()))
			.containsEntry("duration_ms_max", jdbc.sql("""
					SELECT (extract(epoch FROM finished_at - created_at) * 1000)::bigint FROM jobs WHERE id = :id""")
				.param("id", id)
				.query(Long.class)
				.single());
		String patterns = "SELECT p.pattern_sha256, p.pattern, p.searches FROM analytics_patterns p"
				+ " JOIN analytics_users u USING (day, tenant) WHERE p.tenant = 'e2e' AND u.username = :login";
		Map<String, Object> patternRow = single(jdbc, patterns, login);
		assertThat(patternRow).containsEntry("pattern_sha256", sha256(pattern))
			.as("the e2e tenant never allowed pattern texts")
			.containsEntry("pattern", null);

		JsonNode job = this.stack.get("/jobs/" + id).json();
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		assertThat(job.path("progress").path("gists_matched").asInt()).isEqualTo(2);
		assertThat(Instant.parse(job.path("finished_at").asString())).as("read from its row as it stands now")
			.isBefore(Instant.now().minus(Duration.ofDays(30)));

		int deleted = this.stack.api.getBean(TransactionTemplate.class)
			.execute((status) -> this.stack.api.getBean(AnalyticsRepository.class)
				.rollUpAndPurgeFinishedBefore(Instant.now().minus(Duration.ofDays(30)), 1000));

		assertThat(deleted).isOne();
		assertThat(this.stack.get("/jobs/" + id).status()).isEqualTo(404);
		assertThat(jdbc.sql("SELECT count(*) FROM gist_files WHERE job_id = :id")
			.param("id", id)
			.query(Long.class)
			.single()).isZero();
		assertThat(single(jdbc, users, login)).isEqualTo(user);
		assertThat(single(jdbc, daily, login)).isEqualTo(day);
		assertThat(single(jdbc, patterns, login)).isEqualTo(patternRow);
	}

	private static Map<String, Object> single(JdbcClient jdbc, String sql, String login) {
		List<Map<String, Object>> rows = jdbc.sql(sql).param("login", login).query().listOfRows();
		assertThat(rows).hasSize(1);
		return rows.getFirst();
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
