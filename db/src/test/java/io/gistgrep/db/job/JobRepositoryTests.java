package io.gistgrep.db.job;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobError;
import io.gistgrep.common.job.Progress;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.db.gist.GistRef;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.testing.TestServices;
import io.gistgrep.common.webhook.WebhookStatus;
import io.gistgrep.db.webhook.WebhookDelivery;
import io.gistgrep.db.webhook.WebhookRepository;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
class JobRepositoryTests {

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Autowired
	JobRepository jobs;

	@Autowired
	GistRepository gists;

	@Autowired
	WebhookRepository webhooks;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aStoredJobReadsBackAsQueuedWithEmptyProgress() {
		Job job = newJob();
		Job found = this.jobs.find(job.id()).orElseThrow();
		assertThat(found.status()).isEqualTo(JobStatus.QUEUED);
		assertThat(found.username()).isEqualTo("octocat");
		assertThat(found.pattern()).isEqualTo("TODO\\b");
		assertThat(found.progress()).isEqualTo(new Progress(null, 0, 0, 0, 0));
		assertThat(found.createdAt()).isEqualTo(job.createdAt());
		assertThat(found.startedAt()).isNull();
	}

	@Test
	void anotherTenantsJobIsNotFound() {
		Job job = newJob();
		assertThat(this.jobs.find(new JobKey("tenant-a", job.id()))).isPresent();
		assertThat(this.jobs.find(new JobKey("tenant-b", job.id()))).isEmpty();
	}

	@Test
	void aJobsDocumentIsReadWithoutItsWebhookSecretAndOnlyUnderItsTenant() {
		Job job = Job.queued(UUID.randomUUID(), "tenant-a", "octocat", "TODO",
				new Job.Webhook("https://example.com/hook", "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz"),
				Instant.now().truncatedTo(ChronoUnit.MICROS));
		this.jobs.insert(job);
		assertThat(this.jobs.find(key(job)).orElseThrow().webhook().secret())
			.isEqualTo("whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz");
		Job document = this.jobs.document(key(job)).orElseThrow();
		assertThat(document.webhook()).isEqualTo(new Job.Webhook("https://example.com/hook", null));
		assertThat(document.progress()).isEqualTo(new Progress(null, 0, 0, 0, 0));
		assertThat(this.jobs.document(new JobKey("tenant-b", job.id()))).isEmpty();
		Job forScan = this.jobs.findWithoutSecret(job.id()).orElseThrow();
		assertThat(forScan.webhook()).isEqualTo(new Job.Webhook("https://example.com/hook", null));
		assertThat(forScan.pattern()).isEqualTo("TODO");
		assertThat(this.jobs.findWithoutSecret(UUID.randomUUID())).isEmpty();
	}

	@Test
	void anotherTenantCannotCancelAJob() {
		Job job = newJob();
		assertThat(this.jobs.cancel(new JobKey("tenant-b", job.id()))).isFalse();
		assertThat(this.jobs.status(job.id())).contains(JobStatus.QUEUED);
		assertThat(this.jobs.find(job.id()).orElseThrow().finishedAt()).isNull();
		assertThat(this.jobs.cancel(new JobKey("tenant-a", job.id()))).isTrue();
		assertThat(this.jobs.status(job.id())).contains(JobStatus.CANCELLED);
	}

	@Test
	void aFinishedJobIsAmongTheFinishedOnlyUnderItsOwnTenant() {
		Job ended = newJob();
		Job queued = newJob();
		assertThat(this.jobs.cancel(key(ended))).isTrue();
		JobKey stranger = new JobKey("tenant-b", ended.id());

		assertThat(this.jobs.finishedAmong(List.of(key(ended), key(queued), stranger))).containsExactly(key(ended));
		assertThat(this.jobs.finishedAmong(List.of(stranger))).isEmpty();
		assertThat(this.jobs.finishedAmong(List.of())).isEmpty();
	}

	@Test
	void aJobStartsOnceAndAFinishedJobCannotBeFailed() {
		Job job = newJob();
		assertThat(this.jobs.start(job.id())).isTrue();
		assertThat(this.jobs.start(job.id())).isFalse();
		assertThat(this.jobs.find(job.id()).orElseThrow().startedAt()).isNotNull();
		assertThat(this.jobs.cancel(key(job))).isTrue();
		assertThat(this.jobs.fail(job.id(), JobError.of("x", "X", "x"))).isFalse();
		Job found = this.jobs.find(job.id()).orElseThrow();
		assertThat(found.status()).isEqualTo(JobStatus.CANCELLED);
		assertThat(found.error()).isNull();
		assertThat(found.finishedAt()).isNotNull();
	}

	@Test
	void aJobShowsUntilWhenItWaitsOnGitHubOnlyWhileThatIsAheadAndTheJobRuns() {
		Job job = newJob();
		this.jobs.start(job.id());
		Instant soon = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);

		this.jobs.waitingForGitHub(job.id(), soon);
		this.jobs.waitingForGitHub(job.id(), soon.minusSeconds(30));

		assertThat(this.jobs.find(job.id()).orElseThrow().progress().waitingForGitHubUntil())
			.as("only ever moved later")
			.isEqualTo(soon);
		Job other = newJob();
		this.jobs.start(other.id());
		this.jobs.waitingForGitHub(other.id(), Instant.now().minusSeconds(1));
		assertThat(this.jobs.find(other.id()).orElseThrow().progress().waitingForGitHubUntil())
			.as("a wait that is over is not shown")
			.isNull();
		this.jobs.cancel(key(job));
		assertThat(this.jobs.find(job.id()).orElseThrow().progress().waitingForGitHubUntil())
			.as("an ended job waits for nothing")
			.isNull();
	}

	@Test
	void aFailedJobKeepsItsError() {
		Job job = newJob();
		JobError error = JobError.of("github-user-not-found", "GitHub user not found", "No user octocat");
		assertThat(this.jobs.fail(job.id(), error)).isTrue();
		assertThat(this.jobs.find(job.id()).orElseThrow().error()).isEqualTo(error);
	}

	@Test
	void theLastCountedGistSucceedsTheJobWhenTheListingIsComplete() {
		Job job = newJob();
		this.jobs.start(job.id());
		this.gists.insertPage(job.id(), 1, List.of(gist("a"), gist("b")));
		assertThat(this.jobs.completeListing(job.id()))
			.contains(new JobTransition(JobStatus.RUNNING, JobStatus.RUNNING));
		assertThat(this.jobs.completeListing(job.id())).as("the total is recorded once").isEmpty();
		assertThat(this.gists.finish(job.id(), "a", GistOutcome.SCANNED, null, List.of())).isTrue();
		JobTransition first = this.jobs.countGist(job.id(), GistOutcome.SCANNED, true);
		assertThat(first).isEqualTo(new JobTransition(JobStatus.RUNNING, JobStatus.RUNNING));
		assertThat(first.ended()).isFalse();
		assertThat(this.gists.finish(job.id(), "b", GistOutcome.FAILED, "boom", List.of())).isTrue();
		assertThat(this.gists.finish(job.id(), "b", GistOutcome.FAILED, "boom", List.of()))
			.as("a gist is finished once")
			.isFalse();
		JobTransition last = this.jobs.countGist(job.id(), GistOutcome.FAILED, false);
		assertThat(last).isEqualTo(new JobTransition(JobStatus.RUNNING, JobStatus.SUCCEEDED));
		assertThat(last.ended()).isTrue();
		Job done = this.jobs.find(job.id()).orElseThrow();
		assertThat(done.progress()).isEqualTo(new Progress(2, 1, 1, 0, 1));
		assertThat(done.finishedAt()).isNotNull();
	}

	@Test
	void aBatchCountSucceedsTheJobOnlyWhenItHoldsTheLastGists() {
		Job job = newJob();
		this.jobs.start(job.id());
		this.gists.insertPage(job.id(), 1, List.of(gist("a"), gist("b"), gist("c"), gist("d"), gist("e")));
		this.jobs.completeListing(job.id());
		assertThat(this.jobs.countGists(job.id(), 1, 1, 0, 1))
			.isEqualTo(new JobTransition(JobStatus.RUNNING, JobStatus.RUNNING));
		assertThat(this.jobs.countGists(job.id(), 2, 0, 1, 2))
			.isEqualTo(new JobTransition(JobStatus.RUNNING, JobStatus.SUCCEEDED));
		assertThat(this.jobs.find(job.id()).orElseThrow().progress()).isEqualTo(new Progress(5, 3, 3, 1, 1));
	}

	@Test
	void aListingCompletedAfterEveryGistWasCountedSucceedsTheJob() {
		Job job = newJob();
		this.jobs.start(job.id());
		this.gists.insertPage(job.id(), 1, List.of(gist("a")));
		this.jobs.countGist(job.id(), GistOutcome.SKIPPED, false);
		assertThat(this.jobs.completeListing(job.id()))
			.contains(new JobTransition(JobStatus.RUNNING, JobStatus.SUCCEEDED));
		assertThat(this.jobs.find(job.id()).orElseThrow().progress()).isEqualTo(new Progress(1, 0, 0, 1, 0));
	}

	@Test
	void aUserWithoutGistsSucceedsAtOnceWithZero() {
		Job job = newJob();
		this.jobs.start(job.id());
		assertThat(this.jobs.completeListing(job.id())).map(JobTransition::after).contains(JobStatus.SUCCEEDED);
		assertThat(this.jobs.find(job.id()).orElseThrow().progress()).isEqualTo(new Progress(0, 0, 0, 0, 0));
	}

	@Test
	void anEndedJobWithAWebhookGetsOnePendingDeliveryPerEnd() {
		Job job = Job.queued(UUID.randomUUID(), "tenant-a", "octocat", "x",
				new Job.Webhook("https://example.com/hook", "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz"),
				Instant.now().truncatedTo(ChronoUnit.MICROS));
		this.jobs.insert(job);
		assertThat(this.jobs.cancel(key(job))).isTrue();

		UUID added = this.webhooks.addDelivery(job.id(), JobStatus.CANCELLED).orElseThrow();

		assertThat(this.webhooks.addDelivery(job.id(), JobStatus.CANCELLED)).as("one delivery per end").isEmpty();
		assertThat(this.webhooks.forJob(key(job))).singleElement().satisfies((d) -> {
			assertThat(d.id()).isEqualTo(added);
			assertThat(d.eventType()).isEqualTo("job.cancelled");
			assertThat(d.status()).isEqualTo(WebhookStatus.PENDING);
			assertThat(d.pending()).isTrue();
			assertThat(d.attempts()).isZero();
		});
		assertThat(this.webhooks.forJob(new JobKey("tenant-b", job.id()))).as("another tenant's view").isEmpty();
		assertThat(this.jdbc.sql("SELECT count(*) FROM outbox WHERE payload LIKE :id")
			.param("id", "%" + added + "%")
			.query(Long.class)
			.single()).as("the repository persists; queueing the message is the caller's step").isZero();
	}

	@Test
	void aJobWithoutAWebhookGetsNoDeliveryWhenItEnds() {
		Job job = newJob();

		assertThat(this.jobs.cancel(key(job))).isTrue();

		assertThat(this.jobs.status(job.id())).contains(JobStatus.CANCELLED);
		assertThat(this.webhooks.addDelivery(job.id(), JobStatus.CANCELLED)).isEmpty();
		assertThat(this.webhooks.forJob(key(job))).isEmpty();
	}

	@Test
	void anAttemptIsRecordedOnceAndOnlyWhileTheDeliveryIsPending() {
		Job job = Job.queued(UUID.randomUUID(), "tenant-a", "octocat", "x",
				new Job.Webhook("https://example.com/hook", "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz"),
				Instant.now().truncatedTo(ChronoUnit.MICROS));
		this.jobs.insert(job);
		this.jobs.fail(job.id(), JobError.of("x", "X", "x"));
		UUID id = this.webhooks.addDelivery(job.id(), JobStatus.FAILED).orElseThrow();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		WebhookDelivery.Attempt first = new WebhookDelivery.Attempt(1, now, 503, 12, "receiver answered 503");
		WebhookDelivery.Attempt second = new WebhookDelivery.Attempt(2, now, 410, 9, "receiver answered 410");

		assertThat(this.webhooks.recordAttempt(id, first, WebhookStatus.PENDING, now.plusSeconds(5))).isTrue();
		assertThat(this.webhooks.recordAttempt(id, first, WebhookStatus.PENDING, now.plusSeconds(5)))
			.as("a repeated attempt")
			.isFalse();
		assertThat(this.webhooks.recordAttempt(id, second, WebhookStatus.GONE, null)).isTrue();

		WebhookDelivery delivery = this.webhooks.find(id).orElseThrow();
		assertThat(delivery.status()).isEqualTo(WebhookStatus.GONE);
		assertThat(delivery.finishedAt()).isNotNull();
		assertThat(delivery.attemptLog()).extracting(WebhookDelivery.Attempt::statusCode).containsExactly(503, 410);
		WebhookDelivery.Attempt third = new WebhookDelivery.Attempt(3, now, 200, 9, null);
		assertThat(this.webhooks.recordAttempt(id, third, WebhookStatus.DELIVERED, null))
			.as("a gone delivery takes no attempt")
			.isFalse();
	}

	private Job newJob() {
		Job job = Job.queued(UUID.randomUUID(), "tenant-a", "octocat", "TODO\\b", null,
				Instant.now().truncatedTo(ChronoUnit.MICROS));
		this.jobs.insert(job);
		return job;
	}

	static GistRef gist(String id) {
		return new GistRef(id, "https://gist.github.com/octocat/" + id, null, Instant.parse("2024-01-01T00:00:00Z"),
				false, List.of(new GistFile("a.txt", "text/plain", "Text", "https://raw/" + id + "/a.txt", 3)));
	}

	private static JobKey key(Job job) {
		return new JobKey(job.tenant(), job.id());
	}

}
