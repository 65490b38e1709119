package io.gistgrep.api.job;

import java.time.Instant;
import java.util.Map;

import io.gistgrep.db.job.Job;
import io.gistgrep.db.job.JobError;
import io.gistgrep.db.job.Progress;
import org.jspecify.annotations.Nullable;

/** A job as the api shows it (snake_case by the api's Jackson configuration). */
record JobView(String id, String status, String username, String pattern, ProgressView progress, Instant createdAt,
		@Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable ErrorView error,
		Map<String, String> links) {

	static JobView of(Job job) {
		Progress p = job.progress();
		String self = "/jobs/" + job.id();
		return new JobView(job.id().toString(), job.status().value(), job.username(), job.pattern(),
				new ProgressView(p.total(), p.scanned(), p.matched(), p.skipped(), p.failed()), job.createdAt(),
				job.startedAt(), job.finishedAt(), (job.error() != null) ? ErrorView.of(job.error()) : null,
				Map.of("self", self, "matches", self + "/matches"));
	}

	record ProgressView(@Nullable Integer gistsTotal, int gistsScanned, int gistsMatched, int gistsSkipped,
			int gistsFailed) {

	}

	/** A failed job's error, as a problem object. */
	record ErrorView(String type, String title, String detail) {

		static ErrorView of(JobError error) {
			return new ErrorView(error.type(), error.title(), error.detail());
		}

	}

}
