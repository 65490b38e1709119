-- Search analytics that outlive retention (docs/analytics.md).
--
-- Retention deletes finished jobs with their gists, files and matches. In the statement that
-- deletes them (io.gistgrep.db.analytics.AnalyticsRepository.rollUpAndPurge), their facts are
-- added to analytics_rollup, one row per (day of created_at in UTC, tenant, username,
-- pattern_sha256). Every counter is a sum, every maximum a max and the duration histogram a
-- sum per bucket, so a day whose jobs are deleted over several runs (the cutoff moves every
-- run) merges with INSERT … ON CONFLICT DO UPDATE. The analytics_* views read the live jobs
-- UNION ALL the rollup: a job is in exactly one of them, since it leaves the one as it enters
-- the other, in one statement.

-- Per tenant: whether analytics may keep and show pattern texts (patterns may be secrets;
-- the default, no row, is the hash only). Set through PUT /admin/tenants/{tenant}/settings.
CREATE TABLE tenant_settings (
	tenant                 text PRIMARY KEY,
	analytics_pattern_text boolean     NOT NULL DEFAULT false,
	updated_at             timestamptz NOT NULL DEFAULT now()
);

-- The upper bounds, in milliseconds, of the duration histogram's buckets (a job's duration
-- is from its submission to its end); the last bucket is everything above the last bound.
CREATE FUNCTION analytics_duration_bounds() RETURNS bigint[]
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN ARRAY[1000, 2000, 5000, 10000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000]::bigint[];

-- A histogram with one job of this duration (ms): 12 buckets, a 1 in the job's.
CREATE FUNCTION analytics_duration_histogram(ms bigint) RETURNS bigint[]
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN ARRAY(
		SELECT CASE WHEN i = COALESCE(
				(SELECT min(o) FROM unnest(analytics_duration_bounds()) WITH ORDINALITY AS b(bound, o) WHERE ms <= bound),
				cardinality(analytics_duration_bounds()) + 1) THEN 1 ELSE 0 END::bigint
		FROM generate_series(1, cardinality(analytics_duration_bounds()) + 1) AS i ORDER BY i);

-- Two histograms added bucket by bucket (the rollup's merge, and the aggregate below).
CREATE FUNCTION analytics_histogram_add(a bigint[], b bigint[]) RETURNS bigint[]
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN ARRAY(
		SELECT COALESCE(x, 0) + COALESCE(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, o) ORDER BY o);

CREATE AGGREGATE analytics_histogram_sum(bigint[]) (
	SFUNC = analytics_histogram_add,
	STYPE = bigint[],
	INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0}'
);

-- The q-quantile (0 < q <= 1) of a histogram, as the upper bound (ms) of the bucket it falls
-- in: the precision is the buckets'. Above the last bound it is null (more than an hour), as
-- it is for an empty histogram.
CREATE FUNCTION analytics_percentile_ms(histogram bigint[], q double precision) RETURNS bigint
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN (
		SELECT (analytics_duration_bounds())[o]
		FROM (SELECT o, sum(n) OVER (ORDER BY o) AS running, sum(n) OVER () AS total
			FROM unnest(histogram) WITH ORDINALITY AS h(n, o)) c
		WHERE total > 0 AND running >= q * total
		ORDER BY o LIMIT 1);

-- One row per finished job that retention deleted, summed per group. Only finished jobs are
-- deleted, so there are no queued or running counts.
CREATE TABLE analytics_rollup (
	day                date   NOT NULL,
	tenant             text   NOT NULL,
	username           text   NOT NULL,
	pattern_sha256     text   NOT NULL,
	jobs               bigint NOT NULL,
	jobs_succeeded     bigint NOT NULL,
	jobs_failed        bigint NOT NULL,
	jobs_cancelled     bigint NOT NULL,
	jobs_matched       bigint NOT NULL,
	gists_total        bigint NOT NULL,
	gists_scanned      bigint NOT NULL,
	gists_skipped      bigint NOT NULL,
	gists_failed       bigint NOT NULL,
	gists_matched      bigint NOT NULL,
	match_lines        bigint NOT NULL,
	bytes_scanned      bigint NOT NULL,
	duration_ms_sum    bigint NOT NULL,
	duration_ms_max    bigint NOT NULL,
	duration_histogram bigint[] NOT NULL,
	gists_max          bigint NOT NULL,
	bytes_max          bigint NOT NULL,
	PRIMARY KEY (day, tenant, username, pattern_sha256)
);

CREATE INDEX analytics_rollup_tenant_day_idx ON analytics_rollup (tenant, day);

-- The texts of rolled-up patterns, kept only for tenants whose setting allowed it when the
-- rollup ran; turning the setting off deletes the tenant's rows.
CREATE TABLE analytics_pattern_texts (
	tenant         text NOT NULL,
	pattern_sha256 text NOT NULL,
	pattern        text NOT NULL,
	PRIMARY KEY (tenant, pattern_sha256)
);

-- One row per live job, with what its child rows add (match lines, bytes): what the rollup
-- sums when retention deletes the job, and what the views read while it lives.
CREATE VIEW analytics_jobs AS
SELECT j.id AS job_id,
	(j.created_at AT TIME ZONE 'UTC')::date AS day,
	j.tenant,
	j.username,
	encode(sha256(convert_to(j.pattern, 'UTF8')), 'hex') AS pattern_sha256,
	j.pattern,
	j.status,
	j.created_at,
	j.finished_at,
	(extract(epoch FROM j.finished_at - j.created_at) * 1000)::bigint AS duration_ms,
	COALESCE(j.gists_total, 0)::bigint AS gists_total,
	j.gists_scanned::bigint AS gists_scanned,
	j.gists_skipped::bigint AS gists_skipped,
	j.gists_failed::bigint AS gists_failed,
	j.gists_matched::bigint AS gists_matched,
	f.match_lines,
	f.bytes_scanned
FROM jobs j
CROSS JOIN LATERAL (
	SELECT COALESCE(sum(match_count), 0)::bigint AS match_lines,
		COALESCE(sum(size) FILTER (WHERE status = 'scanned'), 0)::bigint AS bytes_scanned
	FROM gist_files WHERE job_id = j.id) f;

-- Live jobs and rollup rows at the rollup's grain; live groups also count queued and running
-- jobs. A job is either live or rolled up, never both. pattern is the text only where the
-- tenant allows it now (from a live job, or as the rollup kept it), else null.
CREATE VIEW analytics_groups AS
SELECT g.day, g.tenant, g.username, g.pattern_sha256,
	CASE WHEN s.analytics_pattern_text THEN COALESCE(g.live_pattern, t.pattern) END AS pattern,
	g.jobs, g.jobs_queued, g.jobs_running, g.jobs_succeeded, g.jobs_failed, g.jobs_cancelled, g.jobs_matched,
	g.gists_total, g.gists_scanned, g.gists_skipped, g.gists_failed, g.gists_matched, g.match_lines,
	g.bytes_scanned, g.duration_ms_sum, g.duration_ms_max, g.duration_histogram, g.gists_max, g.bytes_max
FROM (
	SELECT day, tenant, username, pattern_sha256,
		min(live_pattern) AS live_pattern,
		sum(jobs)::bigint AS jobs,
		sum(jobs_queued)::bigint AS jobs_queued,
		sum(jobs_running)::bigint AS jobs_running,
		sum(jobs_succeeded)::bigint AS jobs_succeeded,
		sum(jobs_failed)::bigint AS jobs_failed,
		sum(jobs_cancelled)::bigint AS jobs_cancelled,
		sum(jobs_matched)::bigint AS jobs_matched,
		sum(gists_total)::bigint AS gists_total,
		sum(gists_scanned)::bigint AS gists_scanned,
		sum(gists_skipped)::bigint AS gists_skipped,
		sum(gists_failed)::bigint AS gists_failed,
		sum(gists_matched)::bigint AS gists_matched,
		sum(match_lines)::bigint AS match_lines,
		sum(bytes_scanned)::bigint AS bytes_scanned,
		sum(duration_ms_sum)::bigint AS duration_ms_sum,
		max(duration_ms_max) AS duration_ms_max,
		analytics_histogram_sum(duration_histogram) AS duration_histogram,
		max(gists_max) AS gists_max,
		max(bytes_max) AS bytes_max
	FROM (
		SELECT day, tenant, username, pattern_sha256,
			min(pattern) AS live_pattern,
			count(*) AS jobs,
			count(*) FILTER (WHERE status = 'queued') AS jobs_queued,
			count(*) FILTER (WHERE status = 'running') AS jobs_running,
			count(*) FILTER (WHERE status = 'succeeded') AS jobs_succeeded,
			count(*) FILTER (WHERE status = 'failed') AS jobs_failed,
			count(*) FILTER (WHERE status = 'cancelled') AS jobs_cancelled,
			count(*) FILTER (WHERE gists_matched > 0) AS jobs_matched,
			sum(gists_total) AS gists_total,
			sum(gists_scanned) AS gists_scanned,
			sum(gists_skipped) AS gists_skipped,
			sum(gists_failed) AS gists_failed,
			sum(gists_matched) AS gists_matched,
			sum(match_lines) AS match_lines,
			sum(bytes_scanned) AS bytes_scanned,
			COALESCE(sum(duration_ms), 0) AS duration_ms_sum,
			max(duration_ms) AS duration_ms_max,
			analytics_histogram_sum(analytics_duration_histogram(duration_ms))
				FILTER (WHERE duration_ms IS NOT NULL) AS duration_histogram,
			max(gists_total) AS gists_max,
			max(bytes_scanned) AS bytes_max
		FROM analytics_jobs
		GROUP BY day, tenant, username, pattern_sha256
		UNION ALL
		SELECT day, tenant, username, pattern_sha256, NULL, jobs, 0, 0, jobs_succeeded, jobs_failed,
			jobs_cancelled, jobs_matched, gists_total, gists_scanned, gists_skipped, gists_failed, gists_matched,
			match_lines, bytes_scanned, duration_ms_sum, duration_ms_max, duration_histogram, gists_max, bytes_max
		FROM analytics_rollup
	) u
	GROUP BY day, tenant, username, pattern_sha256
) g
LEFT JOIN tenant_settings s ON s.tenant = g.tenant
LEFT JOIN analytics_pattern_texts t ON t.tenant = g.tenant AND t.pattern_sha256 = g.pattern_sha256;

-- Per day and tenant: searches, jobs by status, distinct users, gists, matches, match rates
-- and durations (percentiles of finished jobs, from the histogram).
CREATE VIEW analytics_daily AS
SELECT day, tenant,
	sum(jobs)::bigint AS searches,
	count(DISTINCT username)::bigint AS users,
	sum(jobs_queued)::bigint AS jobs_queued,
	sum(jobs_running)::bigint AS jobs_running,
	sum(jobs_succeeded)::bigint AS jobs_succeeded,
	sum(jobs_failed)::bigint AS jobs_failed,
	sum(jobs_cancelled)::bigint AS jobs_cancelled,
	sum(jobs_matched)::bigint AS jobs_matched,
	sum(gists_total)::bigint AS gists_total,
	sum(gists_scanned)::bigint AS gists_scanned,
	sum(gists_skipped)::bigint AS gists_skipped,
	sum(gists_failed)::bigint AS gists_failed,
	sum(gists_matched)::bigint AS gists_matched,
	sum(match_lines)::bigint AS match_lines,
	sum(bytes_scanned)::bigint AS bytes_scanned,
	sum(gists_matched)::double precision / NULLIF(sum(gists_scanned), 0) AS gist_match_rate,
	sum(jobs_matched)::double precision / NULLIF(sum(jobs), 0) AS job_match_rate,
	sum(duration_ms_sum)::double precision
		/ NULLIF(sum(jobs_succeeded + jobs_failed + jobs_cancelled), 0) AS duration_ms_avg,
	analytics_percentile_ms(analytics_histogram_sum(duration_histogram), 0.5) AS duration_ms_p50,
	analytics_percentile_ms(analytics_histogram_sum(duration_histogram), 0.95) AS duration_ms_p95,
	analytics_percentile_ms(analytics_histogram_sum(duration_histogram), 0.99) AS duration_ms_p99,
	max(duration_ms_max) AS duration_ms_max
FROM analytics_groups
GROUP BY day, tenant;

-- Per day, tenant and searched user: top users over a range are a sum of these.
CREATE VIEW analytics_users AS
SELECT day, tenant, username,
	sum(jobs)::bigint AS searches,
	count(DISTINCT pattern_sha256)::bigint AS patterns,
	sum(jobs_matched)::bigint AS jobs_matched,
	sum(gists_scanned)::bigint AS gists_scanned,
	sum(gists_matched)::bigint AS gists_matched,
	sum(match_lines)::bigint AS match_lines
FROM analytics_groups
GROUP BY day, tenant, username;

-- Per day, tenant and pattern (its text only where the tenant allows it now): top patterns
-- over a range are a sum of these.
CREATE VIEW analytics_patterns AS
SELECT day, tenant, pattern_sha256,
	max(pattern) AS pattern,
	sum(jobs)::bigint AS searches,
	count(DISTINCT username)::bigint AS users,
	sum(jobs_matched)::bigint AS jobs_matched,
	sum(gists_scanned)::bigint AS gists_scanned,
	sum(gists_matched)::bigint AS gists_matched,
	sum(match_lines)::bigint AS match_lines
FROM analytics_groups
GROUP BY day, tenant, pattern_sha256;

-- Finished jobs with their size and duration: one row per live job (job_id set), and one per
-- rolled-up group (job_id null) carrying the group's maxima, which may come from different
-- jobs of the group. The slowest and largest views order these.
CREATE VIEW analytics_finished_jobs AS
SELECT j.day, j.tenant, j.username, j.pattern_sha256,
	CASE WHEN s.analytics_pattern_text THEN j.pattern END AS pattern,
	j.job_id, j.status, 1::bigint AS jobs, j.duration_ms, j.gists_total, j.bytes_scanned
FROM analytics_jobs j
LEFT JOIN tenant_settings s ON s.tenant = j.tenant
WHERE j.finished_at IS NOT NULL
UNION ALL
SELECT r.day, r.tenant, r.username, r.pattern_sha256,
	CASE WHEN s.analytics_pattern_text THEN t.pattern END,
	NULL::uuid, NULL::text, r.jobs, r.duration_ms_max, r.gists_max, r.bytes_max
FROM analytics_rollup r
LEFT JOIN tenant_settings s ON s.tenant = r.tenant
LEFT JOIN analytics_pattern_texts t ON t.tenant = r.tenant AND t.pattern_sha256 = r.pattern_sha256;

CREATE VIEW analytics_slowest_jobs AS
SELECT * FROM analytics_finished_jobs ORDER BY duration_ms DESC, day DESC;

CREATE VIEW analytics_largest_jobs AS
SELECT * FROM analytics_finished_jobs ORDER BY gists_total DESC, bytes_scanned DESC, day DESC;
