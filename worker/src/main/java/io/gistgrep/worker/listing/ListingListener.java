package io.gistgrep.worker.listing;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.common.task.ListPage;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.gist.ListingRepository;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobError;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.job.RunningJobsCap;
import io.gistgrep.messaging.JobTransitions;
import io.gistgrep.messaging.LogContext;
import io.gistgrep.messaging.Outbox;
import io.gistgrep.worker.github.GistPage;
import io.gistgrep.worker.github.GitHubClient;
import io.gistgrep.worker.github.GitHubException;
import io.gistgrep.worker.messaging.Tasks;
import io.gistgrep.worker.messaging.WorkerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lists a job's gists, page after page: stores each page's gists together with the scan
 * tasks the job's window has room for (one outbox row; the others are sent as the job's
 * scans are counted, see {@code ScanListener}) in one transaction; a task lists up to
 * {@link ListingProperties#pagesPerTask()} pages of a pass in a row, and the last of them
 * sends the next page (or the next pass's first) as a task of its own, in its
 * transaction.
 * <p>
 * Offset pages shift while the user adds, deletes or edits gists during the listing (a
 * deletion on a page already read slides a later gist back past the cursor), so the
 * listing runs in passes: after the last page, it starts again from the first, and goes
 * on while the previous pass saw a change, up to {@link ListingProperties#maxPasses()}.
 * Pages are conditional requests, so an unchanged page of a later pass costs a 304 and no
 * quota. A later pass adds the gists it finds new and sends a new scan of each gist whose
 * files changed ({@link ListingRepository#storePage}). The last page of the final pass
 * records the total, so the job cannot succeed before it. The tasks are published by the
 * outbox relay after the commit, so a process that dies between the commit and the
 * publish loses nothing: the rows stay in the outbox until a relay sends them. Everything
 * here may run twice for one page (a redelivery after a crash before the
 * acknowledgement): stored gists are not stored again, and scans are idempotent.
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

	private final ListingRepository listings;

	private final GitHubClient github;

	private final JobTransitions transitions;

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	private final Tasks tasks;

	private final MeterRegistry meters;

	private final JobsProperties limits;

	private final ListingProperties passes;

	private final GistRepository gists;

	/** Whether the worker is stopping (see {@link #closing}). */
	private volatile boolean closing;

	/** The most scan tasks of a job on their way at once (see ScanListener). */
	private final int window;

	/** The window of a job that has counted none of its gists yet. */
	private final int startWindow;

	private final ApplicationContext context;

	ListingListener(JobRepository jobs, ListingRepository listings, GistRepository gists, GitHubClient github,
			JobTransitions transitions, Outbox outbox, TransactionTemplate transaction, Tasks tasks,
			MeterRegistry meters, JobsProperties limits, ListingProperties passes, WorkerProperties worker,
			ApplicationContext context) {
		this.jobs = jobs;
		this.listings = listings;
		this.gists = gists;
		this.github = github;
		this.transitions = transitions;
		this.outbox = outbox;
		this.transaction = transaction;
		this.tasks = tasks;
		this.meters = meters;
		this.limits = limits;
		this.passes = passes;
		this.window = worker.scan().windowPerJob();
		this.startWindow = worker.scan().startWindowPerJob();
		this.context = context;
	}

	@RabbitListener(id = Queues.START_JOB, queues = Queues.START_JOB)
	void start(StartJob task, Message message) {
		try (LogContext context = LogContext.job(task.jobId())) {
			this.tasks.run(message, () -> startAndList(task.jobId()), (ex) -> giveUp(task.jobId(), 1, ex),
					(until) -> this.jobs.waitingForGitHub(task.jobId(), until));
		}
	}

	@RabbitListener(id = Queues.LIST_PAGE, queues = Queues.LIST_PAGE)
	void page(ListPage task, Message message) {
		try (LogContext context = LogContext.job(task.jobId())) {
			this.tasks.run(message,
					() -> listFrom(task.jobId(), task.page(), task.url(), task.passNumber(), task.changedSoFar()),
					(ex) -> giveUp(task.jobId(), task.page(), ex),
					(until) -> this.jobs.waitingForGitHub(task.jobId(), until));
		}
	}

	private void startAndList(UUID jobId) {
		RunningJobsCap.Admission admission = this.transitions.admit(jobId, this.limits.maxRunningPerTenant());
		if (admission.outcome() == RunningJobsCap.Outcome.HELD) {
			this.meters.counter("gistgrep.jobs.held").increment();
			log.debug("Job {} waits: its tenant has {} jobs running", jobId, this.limits.maxRunningPerTenant());
			return;
		}
		listFrom(jobId, 1, null, 1, false);
	}

	/**
	 * Lists the task's page and, in the same pass, the pages after it, up to
	 * {@link ListingProperties#pagesPerTask()} in all, each in a transaction of its own;
	 * then sends the next page through the outbox. Only the task's own page fails the
	 * task: a page after it that fails is sent as a task of its own, which retries it
	 * (see {@link #handOff}), so that the task is not listed again from its first page.
	 * The next pass always goes through the outbox, in the last page's transaction: a
	 * task redelivered after a crash lists its pages again, and would find its pass
	 * closed by a later one whose chain nothing carried on.
	 */
	private void listFrom(UUID jobId, int page, @Nullable String url, int pass, boolean changedSoFar) {
		ListPage next = list(jobId, page, url, pass, changedSoFar, this.passes.pagesPerTask() > 1);
		int listed = 1;
		while (next != null) {
			listed++;
			ListPage following = next;
			if (this.closing) {
				// The worker is stopping: the rest of the pass waits in the outbox
				// for any worker, rather than holding up this one's shutdown.
				handOff(following, null);
				return;
			}
			try {
				next = list(following.jobId(), following.page(), following.url(), following.passNumber(),
						following.changedSoFar(), listed < this.passes.pagesPerTask());
			}
			catch (RuntimeException ex) {
				handOff(following, ex);
				return;
			}
		}
	}

	/**
	 * Sends a page that this task did not list as a task of its own: it failed (its task
	 * retries it, after its retry delays from its own second attempt on), or the worker
	 * is stopping. When that cannot be committed either, the task fails, with the page's
	 * failure attached, and is retried from its first page.
	 * @param failure why the page was not listed here; null when the worker is stopping
	 */
	private void handOff(ListPage page, @Nullable RuntimeException failure) {
		try {
			this.transaction.executeWithoutResult((status) -> this.outbox.add(Queues.LIST_PAGE, page));
		}
		catch (RuntimeException ex) {
			if (failure != null) {
				ex.addSuppressed(failure);
			}
			throw ex;
		}
		this.meters.counter("gistgrep.listing.pages-handed-off").increment();
		if (failure != null) {
			log.warn("Listing page {} of pass {} of job {} failed after its task's first page; it goes out as a"
					+ " task of its own", page.page(), page.passNumber(), page.jobId(), failure);
		}
		else {
			log.info("Listing page {} of pass {} of job {} goes out as a task of its own: the worker is stopping",
					page.page(), page.passNumber(), page.jobId());
		}
	}

	/**
	 * Published as the context starts to close, before the listener containers stop: a
	 * task then lists no further page itself.
	 */
	@EventListener
	void closing(ContextClosedEvent event) {
		// A child context's (the management server's, on a port of its own) reaches
		// this one too.
		if (event.getApplicationContext() == this.context) {
			this.closing = true;
		}
	}

	/**
	 * Lists one page of a pass.
	 * @param url the page's URL, or null for the first page's
	 * @param changedSoFar whether an earlier page of this pass differed from the previous
	 * pass
	 * @param continueHere whether the pass's next page is returned, for the caller to
	 * list, rather than sent through the outbox in the page's transaction
	 * @return the pass's next page when {@code continueHere} and there is one, else null
	 */
	private @Nullable ListPage list(UUID jobId, int page, @Nullable String url, int pass, boolean changedSoFar,
			boolean continueHere) {
		Optional<Job> found = this.jobs.find(jobId);
		if (found.isEmpty()) {
			log.warn("Dropping a listing task of job {}, which does not exist (any more)", jobId);
			return null;
		}
		Job job = found.get();
		LogContext.tenant(job.tenant());
		if (job.status().isFinished()) {
			this.meters.counter("gistgrep.listing.job-finished").increment();
			log.debug("Dropping a listing task of job {}, which is {}", jobId, job.status().value());
			return null;
		}
		if (job.progress().total() != null) {
			// A duplicate of a listing that already ended (a page task redelivered after
			// its commit starts a second chain of pages): the total is recorded, so
			// nothing may be added.
			this.meters.counter("gistgrep.listing.complete-already").increment();
			log.debug("Dropping a listing task of job {}, whose listing is complete", jobId);
			return null;
		}
		String pageUrl = (url != null) ? url : this.github.firstPageUrl(job.username());
		GistPage listed;
		try {
			listed = this.github.listGists(pageUrl, job.username());
		}
		catch (GitHubException.UserNotFound ex) {
			this.transitions.fail(jobId, JobError.of("github-user-not-found", "GitHub user not found",
					"GitHub has no user '" + job.username() + "'."));
			return null;
		}
		catch (GitHubException.BadCredentials ex) {
			this.meters.counter("gistgrep.github.bad-credentials").increment();
			log.error("GitHub refused every configured token while listing job {}: check GISTGREP_GITHUB_TOKENS",
					jobId);
			this.transitions.fail(jobId, JobError.of("github-bad-credentials", "GitHub refused gistgrep's credentials",
					"GitHub answered 401 Bad credentials: the service's GitHub token is wrong or revoked."));
			return null;
		}
		catch (GitHubException.Unavailable ex) {
			this.transitions.fail(jobId,
					JobError.of("github-error", "GitHub could not list the gists", ex.getMessage() + "."));
			return null;
		}
		String digest = PageDigest.of(listed.gists());
		Stored outcome = this.transaction.execute((status) -> {
			ListingRepository.PageUpdate update = this.listings.storePage(jobId, page, pass,
					ListedGists.toRefs(listed.gists()));
			if (!update.open()) {
				return new Stored(update, null);
			}
			// The page's new and changed gists wait for the job's window: only as many
			// are
			// sent as it has room for, the rest as the job's scans are counted.
			this.outbox.addAll(Queues.SCAN_GIST,
					this.gists.release(jobId, this.window, this.startWindow)
						.stream()
						.map((gist) -> new ScanGist(jobId, gist.gistId(), gist.revision()))
						.toList());
			boolean last = listed.next().isEmpty();
			boolean changed = this.listings.recordPage(jobId, page, pass, digest, last) || changedSoFar;
			// A listing page is progress: the stuck-job reaper leaves a job that moves
			// alone.
			this.jobs.progressed(jobId);
			if (last) {
				endPass(job, page, pass, changed);
				return new Stored(update, null);
			}
			ListPage next = new ListPage(jobId, page + 1, listed.next().get(), pass, changed);
			if (continueHere) {
				return new Stored(update, next);
			}
			this.outbox.add(Queues.LIST_PAGE, next);
			return new Stored(update, null);
		});
		ListingRepository.PageUpdate stored = (outcome != null) ? outcome.update() : null;
		if (stored != null && !stored.open()) {
			this.meters.counter("gistgrep.listing.complete-already").increment();
			log.debug("Dropping page {} of pass {} of job {}: its listing is closed or a later pass began", page, pass,
					jobId);
			return null;
		}
		if (stored != null && stored.reset() > 0) {
			this.meters.counter("gistgrep.listing.gists-rescanned").increment(stored.reset());
		}
		log.debug("Listed page {} of pass {} of job {}: {} gists, {} new, {} changed{}", page, pass, jobId,
				listed.gists().size(), (stored != null) ? stored.added() : 0, (stored != null) ? stored.reset() : 0,
				listed.notModified() ? " (not modified)" : "");
		return (outcome != null) ? outcome.next() : null;
	}

	/** A page's transaction's outcome: what it stored, and the page to list next here. */
	private record Stored(ListingRepository.PageUpdate update, @Nullable ListPage next) {

	}

	/**
	 * After a pass's last page: lists again after the first pass and after any pass that
	 * saw a change, up to the most passes; records the total otherwise.
	 */
	private void endPass(Job job, int lastPage, int pass, boolean changed) {
		this.meters.counter("gistgrep.listing.passes", "changed", Boolean.toString(changed)).increment();
		if ((pass == 1 || changed) && pass < this.passes.maxPasses()) {
			this.outbox.add(Queues.LIST_PAGE,
					new ListPage(job.id(), 1, this.github.firstPageUrl(job.username()), pass + 1, false));
			return;
		}
		if (changed) {
			this.meters.counter("gistgrep.listing.max-passes-reached").increment();
			log.warn("The gists of job {} ({}) still changed in listing pass {} of at most {}: completing with the"
					+ " gists found so far; one added or slid past the cursor during the last pass may be missed",
					job.id(), job.username(), pass, this.passes.maxPasses());
		}
		log.debug("The listing of job {} ends after pass {} ({} pages)", job.id(), pass, lastPage);
		log.info("Job {} listed the gists of {} in {} pass(es) of {} page(s)", job.id(), job.username(), pass,
				lastPage);
		this.transitions.completeListing(job.id());
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
