package io.gistgrep.db.job;

import java.time.Instant;
import java.util.UUID;

import io.gistgrep.common.job.JobStatus;
import org.jspecify.annotations.Nullable;

/** A job as stored. */
public record Job(UUID id, String tenant, JobStatus status, String username, String pattern, Progress progress,
		Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable JobError error) {

	public static Job queued(UUID id, String tenant, String username, String pattern, Instant now) {
		return new Job(id, tenant, JobStatus.QUEUED, username, pattern, new Progress(null, 0, 0, 0, 0), now, null, null,
				null);
	}

}
