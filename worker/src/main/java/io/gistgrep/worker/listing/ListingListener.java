package io.gistgrep.worker.listing;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.common.task.ListPage;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobError;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.job.RunningJobsCap;
import io.gistgrep.messaging.JobTransitions;
import io.gistgrep.messaging.Outbox;
import io.gistgrep.worker.github.GistPage;
import io.gistgrep.worker.github.GitHubClient;
import io.gistgrep.worker.github.GitHubException;
import io.gistgrep.worker.messaging.Tasks;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lists a job's gists, one page per task: stores the page's gists together with one scan
 * task per gist (one outbox row) and the task for the next page, in one transaction. The
 * last page records the total. The tasks are published by the outbox relay after the
 * commit, so a process that dies between the commit and the publish loses nothing: the
 * rows stay in the outbox until a relay sends them. Everything here may run twice for one
 * page (a redelivery after a crash before the acknowledgement): stored gists are not
 * stored again, and scans are idempotent.
 * <p>
 * A job starts only under its tenant's running-jobs cap ({@link JobTransitions#admit}):
 * over it, the job stays queued, marked as held, and its start task is acknowledged
 * without listing; the end of a running job of the tenant sends the oldest held job's
 * start task again.
 */
@Component
class ListingListener {

	private static final Logger log = LoggerFactory.getLogger(ListingListener.class);

	private final JobRepository jobs;

	private final GistRepository gists;

	private final GitHubClient github;

	private final JobTransitions transitions;

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	private final Tasks tasks;

	private final MeterRegistry meters;

	private final JobsProperties limits;

	ListingListener(JobRepository jobs, GistRepository gists, GitHubClient github, JobTransitions transitions,
			Outbox outbox, TransactionTemplate transaction, Tasks tasks, MeterRegistry meters, JobsProperties limits) {
		this.jobs = jobs;
		this.gists = gists;
		this.github = github;
		this.transitions = transitions;
		this.outbox = outbox;
		this.transaction = transaction;
		this.tasks = tasks;
		this.meters = meters;
		this.limits = limits;
	}

	@RabbitListener(queues = Queues.START_JOB)
	void start(StartJob task, Message message) {
		this.tasks.run(message, () -> startAndList(task.jobId()), (ex) -> giveUp(task.jobId(), 1, ex),
				(until) -> this.jobs.waitingForGitHub(task.jobId(), until));
	}

	@RabbitListener(queues = Queues.LIST_PAGE)
	void page(ListPage task, Message message) {
		this.tasks.run(message, () -> list(task.jobId(), task.page(), task.url()),
				(ex) -> giveUp(task.jobId(), task.page(), ex),
				(until) -> this.jobs.waitingForGitHub(task.jobId(), until));
	}

	private void startAndList(UUID jobId) {
		RunningJobsCap.Admission admission = this.transitions.admit(jobId, this.limits.maxRunningPerTenant());
		if (admission.outcome() == RunningJobsCap.Outcome.HELD) {
			this.meters.counter("gistgrep.jobs.held").increment();
			log.debug("Job {} waits: its tenant has {} jobs running", jobId, this.limits.maxRunningPerTenant());
			return;
		}
		list(jobId, 1, null);
	}

	private void list(UUID jobId, int page, @Nullable String url) {
		Optional<Job> found = this.jobs.find(jobId);
		if (found.isEmpty()) {
			log.warn("Dropping a listing task of job {}, which does not exist (any more)", jobId);
			return;
		}
		Job job = found.get();
		if (job.status().isFinished()) {
			this.meters.counter("gistgrep.listing.job-finished").increment();
			log.debug("Dropping a listing task of job {}, which is {}", jobId, job.status().value());
			return;
		}
		String pageUrl = (url != null) ? url : this.github.firstPageUrl(job.username());
		GistPage listed;
		try {
			listed = this.github.listGists(pageUrl, job.username());
		}
		catch (GitHubException.UserNotFound ex) {
			this.transitions.fail(jobId, JobError.of("github-user-not-found", "GitHub user not found",
					"GitHub has no user '" + job.username() + "'."));
			return;
		}
		catch (GitHubException.BadCredentials ex) {
			this.meters.counter("gistgrep.github.bad-credentials").increment();
			log.error("GitHub refused every configured token while listing job {}: check GISTGREP_GITHUB_TOKENS",
					jobId);
			this.transitions.fail(jobId, JobError.of("github-bad-credentials", "GitHub refused gistgrep's credentials",
					"GitHub answered 401 Bad credentials: the service's GitHub token is wrong or revoked."));
			return;
		}
		catch (GitHubException.Unavailable ex) {
			this.transitions.fail(jobId,
					JobError.of("github-error", "GitHub could not list the gists", ex.getMessage() + "."));
			return;
		}
		List<ScanGist> scans = listed.gists().stream().map((gist) -> new ScanGist(jobId, gist.id())).toList();
		this.transaction.executeWithoutResult((status) -> {
			this.gists.insertPage(jobId, page, ListedGists.toRefs(listed.gists()));
			this.outbox.addAll(Queues.SCAN_GIST, scans);
			listed.next()
				.ifPresentOrElse((next) -> this.outbox.add(Queues.LIST_PAGE, new ListPage(jobId, page + 1, next)),
						() -> this.transitions.completeListing(jobId));
		});
		log.debug("Listed page {} of job {}: {} gists{}", page, jobId, listed.gists().size(),
				listed.notModified() ? " (not modified)" : "");
	}

	private void giveUp(UUID jobId, int page, RuntimeException ex) {
		if (ex instanceof GitHubException.RateLimited limited && limited.secondary()) {
			this.transitions.fail(jobId,
					JobError.of("github-rate-limited", "GitHub's rate limit persists", "Listing page " + page
							+ " of the user's gists was still refused by GitHub's secondary rate limit"
							+ " after waiting " + limited.maxParks() + " times; try again later: " + ex.getMessage()));
			return;
		}
		this.transitions.fail(jobId, JobError.of("github-unavailable", "GitHub could not be reached",
				"Listing page " + page + " of the user's gists kept failing: " + ex.getMessage()));
	}

}
