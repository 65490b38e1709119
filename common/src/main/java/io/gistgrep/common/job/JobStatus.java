package io.gistgrep.common.job;

import java.util.Locale;
import java.util.Set;

/**
 * The life of a job. {@link #moveTo} is the one place that says which moves are legal;
 * the repositories repeat the same rule as a {@code WHERE status IN (...)} guard so that
 * two workers can never both finish a job.
 */
public enum JobStatus {

	QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

	public boolean isFinished() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED;
	}

	/** The statuses a job may move to from this one. */
	public Set<JobStatus> successors() {
		return switch (this) {
			case QUEUED -> Set.of(RUNNING, FAILED, CANCELLED);
			case RUNNING -> Set.of(SUCCEEDED, FAILED, CANCELLED);
			case SUCCEEDED, FAILED, CANCELLED -> Set.of();
		};
	}

	/** The statuses from which a job may move to this one. */
	public Set<JobStatus> predecessors() {
		return switch (this) {
			case QUEUED -> Set.of();
			case RUNNING -> Set.of(QUEUED);
			case SUCCEEDED -> Set.of(RUNNING);
			case FAILED, CANCELLED -> Set.of(QUEUED, RUNNING);
		};
	}

	public JobStatus moveTo(JobStatus next) {
		if (!successors().contains(next)) {
			throw new IllegalJobTransitionException(this, next);
		}
		return next;
	}

	/** The lower-case name used in JSON and in the database. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static JobStatus fromValue(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

}
