package io.gistgrep.common.job;

/** Thrown when a job is asked to make a move its status does not allow. */
public final class IllegalJobTransitionException extends RuntimeException {

	private final JobStatus from;

	private final JobStatus to;

	IllegalJobTransitionException(JobStatus from, JobStatus to) {
		super("A job cannot change from " + from.value() + " to " + to.value());
		this.from = from;
		this.to = to;
	}

	public JobStatus from() {
		return this.from;
	}

	public JobStatus to() {
		return this.to;
	}

}
