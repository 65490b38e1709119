package io.gistgrep.db.job;

import io.gistgrep.common.job.JobStatus;

/**
 * What one conditional update did to a job's status; {@code before == after} when it
 * changed only the counts.
 */
public record JobTransition(JobStatus before, JobStatus after) {

	public JobTransition {
		if (before != after) {
			before.moveTo(after);
		}
	}

	/** Whether this update is the one that ended the job. */
	public boolean ended() {
		return this.before != this.after && this.after.isFinished();
	}

}
