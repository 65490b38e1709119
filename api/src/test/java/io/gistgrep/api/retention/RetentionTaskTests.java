package io.gistgrep.api.retention;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.gistgrep.api.RunningApi;
import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistRef;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.common.job.Job;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.retention.RetentionRepository;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention on the real database, with batches of two ({@link RunningApi}). */
class RetentionTaskTests extends RunningApi {

	@Autowired
	RetentionTask retention;

	@Autowired
	JobRepository jobs;

	@Autowired
	GistRepository gists;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Test
	void jobsFinishedLongerAgoThanTheRetentionAreDeletedWithTheirResultsInBatches() {
		List<UUID> old = List.of(job(31), job(40), job(45), job(60), job(90));
		UUID recent = job(29);
		UUID running = UUID.randomUUID();
		this.jobs.insert(Job.queued(running, "t", "octocat", "x", null, Instant.now().minus(90, ChronoUnit.DAYS)));

		RetentionTask.Result result = this.retention.purge();

		assertThat(result.ran()).isTrue();
		assertThat(result.jobs()).isGreaterThanOrEqualTo(old.size());
		for (UUID id : old) {
			assertThat(this.jobs.find(id)).isEmpty();
			assertThat(this.jdbc.sql("SELECT count(*) FROM job_gists WHERE job_id = :id")
				.param("id", id)
				.query(Long.class)
				.single()).isZero();
		}
		assertThat(this.jobs.find(recent)).isPresent();
		assertThat(this.gists.find(recent, "g1")).isPresent();
		assertThat(this.jobs.find(running)).as("unfinished jobs stay, however old").isPresent();
	}

	@Test
	void onlyOneReplicaRunsAtATime() throws Exception {
		UUID old = job(45);
		CountDownLatch locked = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> otherReplica = CompletableFuture
			.runAsync(() -> this.transaction.executeWithoutResult((s) -> {
				this.jdbc.sql("SELECT pg_advisory_xact_lock(:lock)")
					.param("lock", RetentionRepository.LOCK)
					.query()
					.singleRow();
				locked.countDown();
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
		assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
		RetentionTask.Result skipped = this.retention.purge();
		release.countDown();
		otherReplica.get(30, TimeUnit.SECONDS);
		assertThat(skipped.ran()).isFalse();
		assertThat(this.jobs.find(old)).isPresent();
		assertThat(this.retention.purge().ran()).isTrue();
		assertThat(this.jobs.find(old)).isEmpty();
	}

	private UUID job(int finishedDaysAgo) {
		UUID id = UUID.randomUUID();
		this.jobs.insert(Job.queued(id, "t", "octocat", "x", null, Instant.now().minus(100, ChronoUnit.DAYS)));
		this.gists.insertPage(id, 1, List.of(new GistRef("g1", "https://gist.github.com/o/g1", null, null, false,
				List.of(new GistFile("a.txt", null, null, "https://raw/a", 1)))));
		this.jdbc.sql(
				"UPDATE jobs SET status = 'succeeded', finished_at = now() - make_interval(days => :days) WHERE id = :id")
			.param("days", finishedDaysAgo)
			.param("id", id)
			.update();
		return id;
	}

}
