package io.gistgrep.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobError;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.common.webhook.WebhookStatus;
import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.db.gist.GistRef;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.job.JobTransition;
import io.gistgrep.db.webhook.WebhookDelivery;
import io.gistgrep.db.webhook.WebhookRepository;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
class JobTransitionsTests {

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Autowired
	JobTransitions transitions;

	@Autowired
	JobRepository jobs;

	@Autowired
	GistRepository gists;

	@Autowired
	WebhookRepository webhooks;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Test
	void theLastCountedGistEndsTheJobAndQueuesExactlyOneDeliveryAndOneMessage() {
		Job job = newJob(true);
		this.transitions.start(job.id());
		this.gists.insertPage(job.id(), 1, List.of(gist("a")));
		this.transitions.completeListing(job.id());
		assertThat(this.webhooks.forJob(key(job))).as("not ended yet").isEmpty();
		this.gists.finish(job.id(), "a", GistOutcome.SCANNED, null, List.of());

		JobTransition last = this.transitions.countGist(job.id(), GistOutcome.SCANNED, false);

		assertThat(last).isEqualTo(new JobTransition(JobStatus.RUNNING, JobStatus.SUCCEEDED));
		WebhookDelivery delivery = this.webhooks.forJob(key(job)).getFirst();
		assertThat(this.webhooks.forJob(key(job))).singleElement().satisfies((d) -> {
			assertThat(d.eventType()).isEqualTo("job.succeeded");
			assertThat(d.status()).isEqualTo(WebhookStatus.PENDING);
			assertThat(d.attempts()).isZero();
		});
		assertThat(deliveryMessages(delivery.id())).isOne();
		assertThat(this.transitions.cancel(key(job))).as("an ended job ends once").isFalse();
		assertThat(this.webhooks.forJob(key(job))).hasSize(1);
		assertThat(deliveryMessages(delivery.id())).isOne();
	}

	@Test
	void aListingCompletedAfterTheLastCountQueuesTheDeliveryOfTheSuccess() {
		Job job = newJob(true);
		this.transitions.start(job.id());
		this.gists.insertPage(job.id(), 1, List.of(gist("a")));
		this.gists.finish(job.id(), "a", GistOutcome.SKIPPED, null, List.of());
		assertThat(this.transitions.countGist(job.id(), GistOutcome.SKIPPED, false).ended()).isFalse();

		assertThat(this.transitions.completeListing(job.id())).map(JobTransition::ended).contains(true);

		assertThat(this.webhooks.forJob(key(job))).singleElement().satisfies((d) -> {
			assertThat(d.eventType()).isEqualTo("job.succeeded");
			assertThat(deliveryMessages(d.id())).isOne();
		});
	}

	@Test
	void aFailedJobQueuesTheDeliveryOfItsFailure() {
		Job job = newJob(true);

		assertThat(this.transitions.fail(job.id(), JobError.of("github-user-not-found", "Not found", "No user.")))
			.isTrue();

		assertThat(this.jobs.status(job.id())).contains(JobStatus.FAILED);
		assertThat(this.webhooks.forJob(key(job))).singleElement()
			.satisfies((d) -> assertThat(d.eventType()).isEqualTo("job.failed"));
	}

	@Test
	void anEndThatRollsBackQueuesNothing() {
		Job job = newJob(true);
		long messagesBefore = allDeliveryMessages();

		this.transaction.executeWithoutResult((status) -> {
			assertThat(this.transitions.cancel(key(job))).isTrue();
			assertThat(this.webhooks.forJob(key(job))).as("queued inside the transaction").hasSize(1);
			status.setRollbackOnly();
		});

		assertThat(this.jobs.status(job.id())).contains(JobStatus.QUEUED);
		assertThat(this.webhooks.forJob(key(job))).isEmpty();
		assertThat(allDeliveryMessages()).isEqualTo(messagesBefore);
	}

	@Test
	void anotherTenantsCancelChangesNothingAndQueuesNoWebhook() {
		Job job = newJob(true);
		long messagesBefore = allDeliveryMessages();

		assertThat(this.transitions.cancel(new JobKey("tenant-b", job.id()))).isFalse();

		assertThat(this.jobs.status(job.id())).contains(JobStatus.QUEUED);
		assertThat(this.webhooks.forJob(key(job))).isEmpty();
		assertThat(allDeliveryMessages()).isEqualTo(messagesBefore);
		assertThat(this.transitions.cancel(key(job))).as("the owner's cancel").isTrue();
		assertThat(this.webhooks.forJob(key(job))).hasSize(1);
	}

	@Test
	void endingAJobWithoutAWebhookQueuesNothing() {
		Job job = newJob(false);
		long messagesBefore = allDeliveryMessages();

		assertThat(this.transitions.cancel(key(job))).isTrue();

		assertThat(this.jobs.status(job.id())).contains(JobStatus.CANCELLED);
		assertThat(this.webhooks.forJob(key(job))).isEmpty();
		assertThat(allDeliveryMessages()).isEqualTo(messagesBefore);
	}

	private long deliveryMessages(UUID deliveryId) {
		return this.jdbc
			.sql("SELECT count(*) FROM outbox WHERE routing_key = 'gistgrep.webhooks.deliver' AND payload LIKE :id")
			.param("id", "%" + deliveryId + "%")
			.query(Long.class)
			.single();
	}

	private long allDeliveryMessages() {
		return this.jdbc.sql("SELECT count(*) FROM outbox WHERE routing_key = 'gistgrep.webhooks.deliver'")
			.query(Long.class)
			.single();
	}

	private Job newJob(boolean withWebhook) {
		Job job = Job.queued(
				UUID.randomUUID(), "tenant-a", "octocat", "x", withWebhook
						? new Job.Webhook("https://example.com/hook", "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz") : null,
				Instant.now().truncatedTo(ChronoUnit.MICROS));
		this.jobs.insert(job);
		return job;
	}

	private static GistRef gist(String id) {
		return new GistRef(id, "https://gist.github.com/octocat/" + id, null, Instant.parse("2024-01-01T00:00:00Z"),
				false, List.of(new GistFile("a.txt", "text/plain", "Text", "https://raw/" + id + "/a.txt", 3)));
	}

	private static JobKey key(Job job) {
		return new JobKey(job.tenant(), job.id());
	}

}
