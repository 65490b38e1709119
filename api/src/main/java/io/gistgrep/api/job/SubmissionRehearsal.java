package io.gistgrep.api.job;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobDocument;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.common.webhook.WebhookSignatures;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.messaging.Outbox;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A submission and a poll of its job, rehearsed on made-up data for the api's start-up
 * warm-up and rolled back. The request's JSON is read as {@code POST /jobs} reads it and
 * validated (its pattern compiled by the scanner); the job, with a webhook whose secret
 * is encrypted, and its start message are stored as {@link JobService#create} stores
 * them; the job is read back as {@code GET /jobs/{id}} reads it; both documents are
 * written, the polled one with its {@code ETag}. The first submission after a start used
 * to load about 400 classes (Jackson's, the scanner's, method handles) and compile their
 * callers, on the api's CPU that the job's worker shares on a small machine.
 * <p>
 * Nothing is left: the transaction is rolled back, so no job row and no outbox row stay,
 * and neither the relay nor the jobs' metrics, which hear only commits, see anything. It
 * stores the job itself rather than through {@link JobService#create}, which would also
 * put the made-up job's id in the log context of the thread that starts the api. The
 * request has no webhook: validating one would look its host up in DNS.
 */
@Component
public class SubmissionRehearsal {

	/** The made-up job's tenant; its row never commits. */
	static final String TENANT = "warmup";

	/** A body as a client sends it, with a pattern of the kind security teams use. */
	private static final byte[] REQUEST = """
			{"username": "octocat", "pattern": "AKIA[0-9A-Z]{16}|(?i)password\\\\s*[:=]"}"""
		.getBytes(StandardCharsets.UTF_8);

	/** Stored encrypted and never called. */
	private static final String WEBHOOK_URL = "https://hooks.example.com/gistgrep";

	private final JobService service;

	private final JobRepository jobs;

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	private final JsonMapper json;

	private final ObjectWriter documents;

	private int rounds;

	SubmissionRehearsal(JobService service, JobRepository jobs, Outbox outbox, PlatformTransactionManager transactions,
			JsonMapper json) {
		this.service = service;
		this.jobs = jobs;
		this.outbox = outbox;
		this.transaction = new TransactionTemplate(transactions);
		this.json = json;
		this.documents = JobController.documents(json);
	}

	/**
	 * One submission and one poll, rolled back.
	 * @return the made-up job's id, never committed
	 * @throws IllegalStateException when the job does not read back as it was stored
	 */
	public UUID round() {
		JobRequest request = this.json.readValue(REQUEST, JobRequest.class);
		JobService.Search search = this.service.validate(request.username(), request.pattern(), request.webhook());
		UUID id = UUID.randomUUID();
		this.transaction.executeWithoutResult((status) -> {
			status.setRollbackOnly();
			Job job = Job.queued(id, TENANT, search.username(), search.pattern(),
					new Job.Webhook(WEBHOOK_URL, WebhookSignatures.newSecret()),
					Instant.now().truncatedTo(ChronoUnit.MICROS));
			this.jobs.insert(job);
			this.outbox.add(Queues.START_JOB, new StartJob(job.id()));
			this.json.writeValueAsString(JobDocument.withSecret(job));
			Job polled = this.jobs.document(new JobKey(TENANT, job.id()))
				.orElseThrow(() -> new IllegalStateException("The rehearsed job " + job.id() + " did not read back"));
			if (!polled.pattern().equals(job.pattern()) || polled.status() != job.status()) {
				throw new IllegalStateException("The rehearsed job read back as " + polled);
			}
			DocumentTags.of(TENANT, this.documents.writeValueAsBytes(JobDocument.of(polled)));
		});
		this.rounds++;
		return id;
	}

	/** Rounds done. */
	public int rounds() {
		return this.rounds;
	}

}
