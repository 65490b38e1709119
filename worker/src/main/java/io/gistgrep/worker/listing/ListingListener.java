package io.gistgrep.worker.listing;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.messaging.ConfirmedPublisher;
import io.gistgrep.common.task.ListPage;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobError;
import io.gistgrep.db.job.JobRepository;
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
 * Lists a job's gists, one page per task: stores the page's gists, then publishes one
 * scan task per gist and a task for the next page. The last page records the total.
 * Everything here may run twice for one page (a redelivery after a crash): stored gists
 * are not stored again, and scans are idempotent.
 */
@Component
class ListingListener {

	private static final Logger log = LoggerFactory.getLogger(ListingListener.class);

	private final JobRepository jobs;

	private final GistRepository gists;

	private final GitHubClient github;

	private final ConfirmedPublisher publisher;

	private final TransactionTemplate transaction;

	private final Tasks tasks;

	private final MeterRegistry meters;

	ListingListener(JobRepository jobs, GistRepository gists, GitHubClient github, ConfirmedPublisher publisher,
			TransactionTemplate transaction, Tasks tasks, MeterRegistry meters) {
		this.jobs = jobs;
		this.gists = gists;
		this.github = github;
		this.publisher = publisher;
		this.transaction = transaction;
		this.tasks = tasks;
		this.meters = meters;
	}

	@RabbitListener(queues = Queues.START_JOB)
	void start(StartJob task, Message message) {
		this.tasks.run(message, () -> list(task.jobId(), 1, null), (ex) -> giveUp(task.jobId(), 1, ex));
	}

	@RabbitListener(queues = Queues.LIST_PAGE)
	void page(ListPage task, Message message) {
		this.tasks.run(message, () -> list(task.jobId(), task.page(), task.url()),
				(ex) -> giveUp(task.jobId(), task.page(), ex));
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
			this.jobs.fail(jobId, JobError.of("github-user-not-found", "GitHub user not found",
					"GitHub has no user '" + job.username() + "'."));
			return;
		}
		catch (GitHubException.BadCredentials ex) {
			this.meters.counter("gistgrep.github.bad-credentials").increment();
			log.error("GitHub refused our token while listing job {}: check GISTGREP_GITHUB_TOKENS", jobId);
			this.jobs.fail(jobId, JobError.of("github-bad-credentials", "GitHub refused gistgrep's credentials",
					"GitHub answered 401 Bad credentials: the service's GitHub token is wrong or revoked."));
			return;
		}
		catch (GitHubException.Unavailable ex) {
			this.jobs.fail(jobId,
					JobError.of("github-error", "GitHub could not list the gists", ex.getMessage() + "."));
			return;
		}
		this.transaction.executeWithoutResult((status) -> {
			this.jobs.start(jobId);
			this.gists.insertPage(jobId, page, ListedGists.toRefs(listed.gists()));
			if (listed.next().isEmpty()) {
				this.jobs.completeListing(jobId);
			}
		});
		List<ScanGist> scans = listed.gists().stream().map((gist) -> new ScanGist(jobId, gist.id())).toList();
		this.publisher.publishAll(Queues.EXCHANGE, Queues.SCAN_GIST, scans);
		listed.next()
			.ifPresent((next) -> this.publisher.publish(Queues.EXCHANGE, Queues.LIST_PAGE,
					new ListPage(jobId, page + 1, next)));
		log.debug("Listed page {} of job {}: {} gists{}", page, jobId, listed.gists().size(),
				listed.notModified() ? " (not modified)" : "");
	}

	private void giveUp(UUID jobId, int page, RuntimeException ex) {
		this.jobs.fail(jobId, JobError.of("github-unavailable", "GitHub could not be reached",
				"Listing page " + page + " of the user's gists kept failing: " + ex.getMessage()));
	}

}
