package io.gistgrep.common.job;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A job as clients see it, in the api's answers and in webhook bodies alike; the JSON
 * names are fixed here so that both render the same document.
 *
 * @param webhook present when the job has one; its secret only in the answer that created
 * the job
 */
public record JobDocument(String id, String status, String username, String pattern, ProgressDocument progress,
		@JsonProperty("created_at") Instant createdAt, @JsonProperty("started_at") @Nullable Instant startedAt,
		@JsonProperty("finished_at") @Nullable Instant finishedAt, @Nullable ErrorDocument error,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable WebhookDocument webhook, Map<String, String> links) {

	public static JobDocument of(Job job) {
		return of(job, false);
	}

	/** The document of a job just created, the one time its webhook secret is shown. */
	public static JobDocument withSecret(Job job) {
		return of(job, true);
	}

	private static JobDocument of(Job job, boolean secret) {
		Progress p = job.progress();
		String self = "/jobs/" + job.id();
		Job.Webhook webhook = job.webhook();
		return new JobDocument(job.id().toString(), job.status().value(), job.username(), job.pattern(),
				new ProgressDocument(p.total(), p.scanned(), p.matched(), p.skipped(), p.failed(),
						p.waitingForGitHubUntil()),
				job.createdAt(), job.startedAt(), job.finishedAt(),
				(job.error() != null) ? ErrorDocument.of(job.error()) : null,
				(webhook != null) ? new WebhookDocument(webhook.url(), secret ? webhook.secret() : null) : null,
				Map.of("self", self, "matches", self + "/matches"));
	}

	/**
	 * @param waitingForGitHubUntil set while some of the job's work is parked on a GitHub
	 * rate limit or a throttled content host, else null
	 */
	public record ProgressDocument(@JsonProperty("gists_total") @Nullable Integer gistsTotal,
			@JsonProperty("gists_scanned") int gistsScanned, @JsonProperty("gists_matched") int gistsMatched,
			@JsonProperty("gists_skipped") int gistsSkipped, @JsonProperty("gists_failed") int gistsFailed,
			@JsonProperty("waiting_for_github_until") @Nullable Instant waitingForGitHubUntil) {

	}

	/** A failed job's error, as a problem object. */
	public record ErrorDocument(String type, String title, String detail) {

		static ErrorDocument of(JobError error) {
			return new ErrorDocument(error.type(), error.title(), error.detail());
		}

	}

	public record WebhookDocument(String url, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret) {

	}

}
