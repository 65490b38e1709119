package io.gistgrep.db.job;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the stuck-job reaper reads and does through {@link JobRepository}: progress marks,
 * and the end of a job whose gists are all counted.
 */
@SpringBootTest
class JobProgressTests {

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Autowired
	JobRepository jobs;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aCountedGistOrAListedPageIsProgressAndForgetsTheReapersRepairs() {
		UUID id = runningJob("repairs = 2");

		this.jobs.countGist(id, GistOutcome.SCANNED, false);

		assertThat(row(id)).containsEntry("repairs", 0).containsEntry("moved", true);

		this.jdbc.sql("UPDATE jobs SET repairs = 2, progress_at = NULL WHERE id = :id").param("id", id).update();
		this.jobs.progressed(id);

		assertThat(row(id)).containsEntry("repairs", 0).containsEntry("moved", true);
	}

	@Test
	void onlyARunningJobWhoseGistsAreAllCountedIsSucceededAsCounted() {
		UUID short1 = runningJob("gists_total = 2, gists_scanned = 1");
		UUID listing = runningJob("gists_scanned = 2");
		UUID queued = runningJob("status = 'queued', gists_total = 0");
		UUID counted = runningJob("gists_total = 3, gists_scanned = 1, gists_skipped = 1, gists_failed = 1");

		assertThat(this.jobs.succeedCounted(short1)).isFalse();
		assertThat(this.jobs.succeedCounted(listing)).as("its listing is not complete").isFalse();
		assertThat(this.jobs.succeedCounted(queued)).isFalse();
		assertThat(this.jobs.succeedCounted(counted)).isTrue();
		assertThat(this.jobs.succeedCounted(counted)).as("once").isFalse();

		assertThat(this.jobs.status(short1)).contains(JobStatus.RUNNING);
		assertThat(this.jobs.status(listing)).contains(JobStatus.RUNNING);
		assertThat(this.jobs.status(queued)).contains(JobStatus.QUEUED);
		Job ended = this.jobs.find(counted).orElseThrow();
		assertThat(ended.status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(ended.finishedAt()).isNotNull();
	}

	private UUID runningJob(String set) {
		UUID id = UUID.randomUUID();
		this.jobs.insert(Job.queued(id, "tenant-p", "octocat", "TODO", null, Instant.now()));
		this.jobs.start(id);
		this.jdbc.sql("UPDATE jobs SET " + set + " WHERE id = :id").param("id", id).update();
		return id;
	}

	private Map<String, Object> row(UUID id) {
		return this.jdbc.sql("SELECT repairs, progress_at IS NOT NULL AS moved FROM jobs WHERE id = :id")
			.param("id", id)
			.query()
			.singleRow();
	}

}
