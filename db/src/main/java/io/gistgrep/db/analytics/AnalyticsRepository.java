package io.gistgrep.db.analytics;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Retention's delete of finished jobs, with the rollup that keeps their aggregates. One
 * statement deletes a batch of jobs and adds exactly those jobs' facts (read from the
 * {@code analytics_jobs} view in the statement's snapshot, before the cascade removes
 * their gists, files and matches) to {@code analytics_rollup}: a job is counted by the
 * live views until it is deleted, and by the rollup from then on, never by both and never
 * by neither, however many runs a day's jobs are deleted over.
 */
@Repository
public class AnalyticsRepository {

	private static final String SUMS = "jobs, jobs_succeeded, jobs_failed, jobs_cancelled, jobs_matched, gists_total,"
			+ " gists_scanned, gists_skipped, gists_failed, gists_matched, match_lines, bytes_scanned, duration_ms_sum";

	private final JdbcClient jdbc;

	public AnalyticsRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Deletes up to {@code batch} jobs that finished before {@code cutoff}, with
	 * everything that belongs to them (cascading), and adds them to the rollup; their
	 * pattern texts are kept only for tenants whose setting allows it. Call it under
	 * retention's lock (one run at a time).
	 * @return the number of jobs deleted
	 */
	public int rollUpAndPurgeFinishedBefore(Instant cutoff, int batch) {
		return this.jdbc.sql("""
				WITH gone AS (
					DELETE FROM jobs WHERE id IN (
						SELECT id FROM jobs WHERE finished_at < :cutoff ORDER BY finished_at LIMIT :batch)
					RETURNING id),
				facts AS (SELECT * FROM analytics_jobs WHERE job_id IN (SELECT id FROM gone)),
				texts AS (
					INSERT INTO analytics_pattern_texts (tenant, pattern_sha256, pattern)
					SELECT DISTINCT ON (f.tenant, f.pattern_sha256) f.tenant, f.pattern_sha256, f.pattern
					FROM facts f JOIN tenant_settings s ON s.tenant = f.tenant AND s.analytics_pattern_text
					ON CONFLICT (tenant, pattern_sha256) DO NOTHING),
				rolled AS (
					INSERT INTO analytics_rollup (day, tenant, username, pattern_sha256, %s,
						duration_ms_max, duration_histogram, gists_max, bytes_max)
					SELECT day, tenant, username, pattern_sha256, count(*),
						count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed'),
						count(*) FILTER (WHERE status = 'cancelled'), count(*) FILTER (WHERE gists_matched > 0),
						sum(gists_total), sum(gists_scanned), sum(gists_skipped), sum(gists_failed),
						sum(gists_matched), sum(match_lines), sum(bytes_scanned), sum(duration_ms),
						max(duration_ms), analytics_histogram_sum(analytics_duration_histogram(duration_ms)),
						max(gists_total), max(bytes_scanned)
					FROM facts GROUP BY day, tenant, username, pattern_sha256
					ON CONFLICT (day, tenant, username, pattern_sha256) DO UPDATE SET %s,
						duration_ms_max = GREATEST(analytics_rollup.duration_ms_max, EXCLUDED.duration_ms_max),
						duration_histogram = analytics_histogram_add(analytics_rollup.duration_histogram,
							EXCLUDED.duration_histogram),
						gists_max = GREATEST(analytics_rollup.gists_max, EXCLUDED.gists_max),
						bytes_max = GREATEST(analytics_rollup.bytes_max, EXCLUDED.bytes_max))
				SELECT count(*) FROM gone""".formatted(SUMS, merge(SUMS)))
			.param("cutoff", Timestamp.from(cutoff))
			.param("batch", batch)
			.query(Integer.class)
			.single();
	}

	/** {@code x = analytics_rollup.x + EXCLUDED.x} for each column. */
	private static String merge(String columns) {
		StringBuilder merged = new StringBuilder();
		for (String column : columns.split(",")) {
			String name = column.strip();
			if (!merged.isEmpty()) {
				merged.append(", ");
			}
			merged.append(name).append(" = analytics_rollup.").append(name).append(" + EXCLUDED.").append(name);
		}
		return merged.toString();
	}

}
