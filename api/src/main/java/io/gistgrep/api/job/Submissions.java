package io.gistgrep.api.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.api.auth.Tenant;
import io.gistgrep.api.problem.Problems;
import io.gistgrep.db.idempotency.IdempotencyRepository;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobDocument;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Submissions of validated searches, honouring {@code Idempotency-Key} (IETF draft,
 * Stripe): the same key and request replay the first answer, the same key with another
 * request is a 422, and a duplicate while the first is still being processed is a 409.
 * The key is claimed in its own statement first, so that a concurrent duplicate can see
 * it; then the job, its start message and the key's answer are stored in one transaction.
 */
@Component
class Submissions {

	static final Duration KEY_TTL = Duration.ofHours(24);

	/** A claimed key with no job after this long belongs to a request that died. */
	static final Duration KEY_STALE = Duration.ofMinutes(1);

	/** The answer to a submission: the job's document as first rendered. */
	record Accepted(UUID jobId, String body, boolean replayed) {

		/** The body may hold the webhook secret. */
		@Override
		public String toString() {
			return "Accepted[jobId=" + this.jobId + ", replayed=" + this.replayed + "]";
		}

	}

	private final JobService service;

	private final IdempotencyRepository idempotency;

	private final JsonMapper json;

	Submissions(JobService service, IdempotencyRepository idempotency, JsonMapper json) {
		this.service = service;
		this.idempotency = idempotency;
		this.json = json;
	}

	/** Idempotency-Keys are the tenant's: two tenants may use the same key. */
	Accepted submit(Tenant owner, JobService.Search search, @Nullable String key) {
		if (key == null) {
			Job job = this.service.create(owner, search);
			return new Accepted(job.id(), render(job), false);
		}
		if (key.isBlank() || key.length() > 255) {
			throw Problems.badRequest("invalid-idempotency-key", "Invalid Idempotency-Key",
					"Idempotency-Key must be 1 to 255 characters long.");
		}
		String tenant = owner.name();
		String hash = hash(search);
		if (this.idempotency.claim(tenant, key, hash, KEY_TTL, KEY_STALE)) {
			try {
				String[] body = new String[1];
				Job job = this.service.create(owner, search, (created) -> {
					body[0] = render(created);
					this.idempotency.complete(tenant, key, created.id(), body[0]);
				});
				return new Accepted(job.id(), body[0], false);
			}
			catch (RuntimeException ex) {
				this.idempotency.release(tenant, key);
				throw ex;
			}
		}
		Optional<IdempotencyRepository.Entry> entry = this.idempotency.find(tenant, key);
		if (entry.isPresent() && !entry.get().requestHash().equals(hash)) {
			throw Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency-Key reused",
					"This Idempotency-Key was used for a different request; use a new key for a new search.");
		}
		if (entry.isEmpty() || !entry.get().completed() || entry.get().responseBody() == null) {
			throw Problems.of(HttpStatus.CONFLICT, "idempotency-key-in-use", "Request in progress",
					"A request with this Idempotency-Key is still being processed; retry shortly.");
		}
		return new Accepted(entry.get().jobId(), entry.get().responseBody(), true);
	}

	/**
	 * The job as answered to its submission: the one time its webhook secret is shown.
	 */
	private String render(Job job) {
		return this.json.writeValueAsString(JobDocument.withSecret(job));
	}

	/**
	 * The request's identity for idempotency: what it asks for, not how it was spelled.
	 */
	private static String hash(JobService.Search search) {
		StringBuilder identity = new StringBuilder().append(search.username())
			.append('\0')
			.append(search.pattern())
			.append('\0');
		if (search.webhook() != null) {
			identity.append(search.webhook().url()).append('\0');
			if (search.secretGiven()) {
				identity.append(search.webhook().secret());
			}
		}
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256")
					.digest(identity.toString().getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
