package io.gistgrep.common.job;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A job as stored.
 *
 * @param webhook where to tell of the job's end, if anywhere
 */
public record Job(UUID id, String tenant, JobStatus status, String username, String pattern, Progress progress,
		Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable JobError error,
		@Nullable Webhook webhook) {

	public static Job queued(UUID id, String tenant, String username, String pattern, @Nullable Webhook webhook,
			Instant now) {
		return new Job(id, tenant, JobStatus.QUEUED, username, pattern, new Progress(null, 0, 0, 0, 0), now, null, null,
				null, webhook);
	}

	/**
	 * A job's webhook.
	 *
	 * @param secret {@code whsec_} and the base64 of the signing key; null when the
	 * stored secret cannot be decrypted with the configured keys (reading the job must
	 * not fail for that: only a delivery needs the secret, and it records the failure)
	 */
	public record Webhook(String url, @Nullable String secret) {

		@Override
		public String toString() {
			return "Webhook[url=" + this.url + ", secret=…]";
		}

	}

}
