package io.gistgrep.messaging;

import java.util.Optional;
import java.util.UUID;

import io.gistgrep.common.job.JobError;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.common.task.DeliverWebhook;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.job.JobTransition;
import io.gistgrep.db.job.RunningJobsCap;
import io.gistgrep.db.webhook.WebhookRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every change of a job's status, for the api and the worker alike, with what follows it:
 * a job that ended queues its webhook (a pending delivery and the message that sends it)
 * in the same transaction as the ending, so the event is neither lost nor sent for an end
 * that rolled back. A job that held one of its tenant's running slots hands it, in that
 * transaction too, to the tenant's oldest job held by the cap ({@link RunningJobsCap}).
 */
@Service
public class JobTransitions {

	private static final Logger log = LoggerFactory.getLogger(JobTransitions.class);

	private final JobRepository jobs;

	private final WebhookRepository webhooks;

	private final Outbox outbox;

	private final RunningJobsCap cap;

	JobTransitions(JobRepository jobs, WebhookRepository webhooks, Outbox outbox, RunningJobsCap cap) {
		this.jobs = jobs;
		this.webhooks = webhooks;
		this.outbox = outbox;
		this.cap = cap;
	}

	/**
	 * Starts a queued job if its tenant is under the running-jobs cap, else leaves it
	 * queued and marked as held; sends the start task of every held job it released.
	 * @param maxRunning the cap; 0 for none
	 */
	@Transactional
	public RunningJobsCap.Admission admit(UUID jobId, int maxRunning) {
		RunningJobsCap.Admission admission = this.cap.admit(jobId, maxRunning);
		admission.released().forEach(this::sendStart);
		return admission;
	}

	/**
	 * Moves a queued job to running, bypassing the running-jobs cap (the worker starts
	 * jobs through {@link #admit}); false when it was not queued.
	 */
	@Transactional
	public boolean start(UUID jobId) {
		return this.jobs.start(jobId);
	}

	/** Ends a queued or running job as failed; false when it had already ended. */
	@Transactional
	public boolean fail(UUID jobId, JobError error) {
		return ended(jobId, this.jobs.fail(jobId, error), JobStatus.FAILED);
	}

	/**
	 * Ends the tenant's queued or running job as cancelled; false when it had already
	 * ended, or is not the tenant's (then nothing changes and no webhook is queued).
	 */
	@Transactional
	public boolean cancel(JobKey job) {
		return ended(job.id(), this.jobs.cancel(job), JobStatus.CANCELLED);
	}

	/**
	 * Succeeds a running job whose gists are all counted but which did not end (the
	 * stuck-job reaper's repair); false when it was not such a job.
	 */
	@Transactional
	public boolean succeedCounted(UUID jobId) {
		return ended(jobId, this.jobs.succeedCounted(jobId), JobStatus.SUCCEEDED);
	}

	/**
	 * Counts one gist's outcome, which succeeds the job when it was the last. Call in the
	 * transaction that moved the gist out of pending.
	 */
	@Transactional
	public JobTransition countGist(UUID jobId, GistOutcome outcome, boolean matched) {
		return followed(jobId, this.jobs.countGist(jobId, outcome, matched));
	}

	/**
	 * Counts the outcomes of some of a job's gists at once (a batch of scans), which
	 * succeeds the job when they were the last. Call in the transaction that moved the
	 * gists out of pending.
	 */
	@Transactional
	public JobTransition countGists(UUID jobId, int scanned, int skipped, int failed, int matched) {
		return followed(jobId, this.jobs.countGists(jobId, scanned, skipped, failed, matched));
	}

	/**
	 * Records the listing's total, which succeeds the job when every gist was counted
	 * already; empty when the total was recorded before.
	 */
	@Transactional
	public Optional<JobTransition> completeListing(UUID jobId) {
		return this.jobs.completeListing(jobId).map((transition) -> followed(jobId, transition));
	}

	private JobTransition followed(UUID jobId, JobTransition transition) {
		ended(jobId, transition.ended(), transition.after());
		return transition;
	}

	private boolean ended(UUID jobId, boolean ended, JobStatus status) {
		if (ended) {
			log.info("Job {} ended: {}", jobId, status.value());
			this.webhooks.addDelivery(jobId, status)
				.ifPresent((delivery) -> this.outbox.add(Queues.DELIVER_WEBHOOK, new DeliverWebhook(delivery)));
			this.cap.releaseAfterEnd(jobId).ifPresent(this::sendStart);
		}
		return ended;
	}

	private void sendStart(UUID released) {
		this.outbox.add(Queues.START_JOB, new StartJob(released));
	}

}
