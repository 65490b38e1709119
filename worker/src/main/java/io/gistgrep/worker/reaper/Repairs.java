package io.gistgrep.worker.reaper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.gistgrep.common.job.JobError;
import io.gistgrep.common.task.ListPage;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.messaging.JobTransitions;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.messaging.Outbox;
import io.gistgrep.worker.github.GitHubClient;
import io.gistgrep.worker.messaging.WorkerProperties;

import org.springframework.stereotype.Component;

/**
 * What the reaper does to a stuck job, each in the caller's transaction; every message
 * goes through the outbox, so a repair is sent if and only if it commits. Each repair of
 * a quiet job first claims it ({@link StuckJobs#claim}), and does nothing when another
 * reaper, or progress, got there first.
 */
@Component
class Repairs {

	/**
	 * Repairs of a job that does not move in between, after which it is failed as
	 * {@code stalled} instead: a task that is lost every time (dead-lettered, say) would
	 * otherwise be sent again for ever.
	 */
	static final int MAX_REPAIRS = 3;

	private static final int SCANS_PER_ROW = 100;

	private final StuckJobs stuck;

	private final JobTransitions transitions;

	private final Outbox outbox;

	private final GitHubClient github;

	private final ReaperProperties properties;

	private final GistRepository gists;

	private final int window;

	/** The window of a job that has counted none of its gists yet. */
	private final int startWindow;

	Repairs(StuckJobs stuck, JobTransitions transitions, Outbox outbox, GitHubClient github,
			ReaperProperties properties, GistRepository gists, WorkerProperties worker) {
		this.stuck = stuck;
		this.gists = gists;
		this.window = worker.scan().windowPerJob();
		this.startWindow = worker.scan().startWindowPerJob();
		this.transitions = transitions;
		this.outbox = outbox;
		this.github = github;
		this.properties = properties;
	}

	/**
	 * Ends a job whose gists are all counted, as its last count should have, through
	 * {@link JobTransitions} so that its webhook is queued and its slot handed on.
	 */
	boolean end(UUID id) {
		return this.transitions.succeedCounted(id);
	}

	Kind forLostStart(StuckJobs.Quiet job) {
		return (job.repairs() >= MAX_REPAIRS) ? Kind.FAILED : Kind.RESTARTED;
	}

	/** Sends a queued job's start task again, or fails the job after the last try. */
	boolean lostStart(StuckJobs.Quiet job, Kind kind) {
		if (!this.stuck.claim(job.id(), "queued", this.properties.queuedAfter())) {
			return false;
		}
		if (kind == Kind.FAILED) {
			return fail(job, "its start task was sent " + MAX_REPAIRS + " times again and the job never started");
		}
		// The cap decides again when it arrives: the job may start, or be held.
		this.outbox.add(Queues.START_JOB, new StartJob(job.id()));
		return true;
	}

	Kind forStalled(StuckJobs.Quiet job) {
		if (job.repairs() >= MAX_REPAIRS || (job.listed() && job.pending() == 0)) {
			// A complete listing, nothing pending, and yet not all counted: nothing to
			// send again could end it.
			return Kind.FAILED;
		}
		return job.listed() ? Kind.REFANNED : Kind.RELISTED;
	}

	/**
	 * Sends a running job's lost work again: its listing from the first page when the
	 * listing did not complete (a new pass, which lists every page and records the
	 * total), else a scan of each gist not counted yet. Scans are idempotent, so a scan
	 * that was only late counts once.
	 */
	boolean stalled(StuckJobs.Quiet job, Kind kind) {
		if (!this.stuck.claim(job.id(), "running", this.properties.stalledAfter())) {
			return false;
		}
		switch (kind) {
			case RELISTED -> this.outbox.add(Queues.LIST_PAGE, new ListPage(job.id(), 1,
					this.github.firstPageUrl(job.username()), this.stuck.lastPass(job.id()) + 1, false));
			case REFANNED -> {
				// Those of its window again, then as many more as the window has room
				// for (none when every sent gist was lost, as all are in flight): the
				// job's other gists stay unsent, behind the window, as they were.
				List<ScanGist> scans = new ArrayList<>();
				this.stuck.pendingReleased(job.id())
					.forEach((gist) -> scans.add(new ScanGist(job.id(), gist.gistId(), gist.revision())));
				this.gists.release(job.id(), this.window, this.startWindow)
					.forEach((gist) -> scans.add(new ScanGist(job.id(), gist.gistId(), gist.revision())));
				for (int from = 0; from < scans.size(); from += SCANS_PER_ROW) {
					this.outbox.addAll(Queues.SCAN_GIST,
							scans.subList(from, Math.min(scans.size(), from + SCANS_PER_ROW)));
				}
			}
			default -> {
				return fail(job, (job.repairs() >= MAX_REPAIRS)
						? "its work was sent " + MAX_REPAIRS + " times again and it still made no progress"
						: "its listing is complete and no gist waits to be scanned, yet not every gist is counted");
			}
		}
		return true;
	}

	private boolean fail(StuckJobs.Quiet job, String why) {
		return this.transitions.fail(job.id(), JobError.of("stalled", "The job stalled",
				"The job made no progress and could not be repaired: " + why + ". Submit it again."));
	}

	/** What a repair did, as the {@code kind} tag of {@code gistgrep.reaper.repairs}. */
	enum Kind {

		/** A job whose gists were all counted was ended. */
		ENDED,
		/** A queued job's lost start task was sent again. */
		RESTARTED,
		/** A stalled job's gists not yet counted were sent to be scanned again. */
		REFANNED,
		/** A stalled job's incomplete listing was started again from the first page. */
		RELISTED,
		/** A job that could not be repaired was failed as {@code stalled}. */
		FAILED;

		String value() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
