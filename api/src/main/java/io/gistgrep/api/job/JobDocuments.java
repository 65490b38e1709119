package io.gistgrep.api.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gistgrep.api.auth.Tenant;
import io.gistgrep.api.retention.RetentionProperties;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobDocument;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.db.job.JobKey;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Job documents as sent: the bytes and their ETag. A succeeded job's are kept in memory,
 * so that reading it again costs no query. Its row cannot change any more: every one of
 * its gists was counted, the last count ended it, and no gist is counted twice. Only
 * retention deletes it, {@code gistgrep.retention.jobs} after it finished, and its entry
 * expires {@link #SKEW} before that, so every replica answers 404 once the row may be
 * gone. Other jobs are read every time: a running job changes, and a cancelled or failed
 * one still counts the gists that were in flight when it ended.
 */
@Component
class JobDocuments {

	/**
	 * At most this many bytes of documents are kept; beyond it Caffeine evicts by its own
	 * policy (recency and frequency).
	 */
	static final long MAX_BYTES = 16L * 1024 * 1024;

	/**
	 * How much sooner than retention's cut-off an entry expires: the replica that deletes
	 * may read a clock that is ahead of this one.
	 */
	static final Duration SKEW = Duration.ofMinutes(1);

	/** Bytes an entry costs besides its body: key, tag, holders (an estimate). */
	private static final int OVERHEAD = 256;

	private final JobService service;

	private final ObjectWriter writer;

	private final Duration retention;

	private final Clock clock = Clock.systemUTC();

	private final Cache<JobKey, Document> succeeded = Caffeine.newBuilder()
		.maximumWeight(MAX_BYTES)
		.weigher((JobKey key, Document document) -> OVERHEAD + document.body().length)
		.expireAfter(Expiry.creating((JobKey key, Document document) -> document.keptFor()))
		.build();

	JobDocuments(JobService service, JsonMapper json, RetentionProperties retention) {
		this.service = service;
		this.writer = JobController.documents(json);
		this.retention = retention.jobs();
	}

	/**
	 * A job's document as sent.
	 *
	 * @param keptFor how long it may be kept, zero for a job that can still change
	 */
	record Document(byte[] body, String tag, JobStatus status, Duration keptFor) {

	}

	/** The tenant's job's document; another tenant's job is as good as missing. */
	Optional<Document> find(Tenant tenant, String id) {
		Optional<JobKey> key = key(tenant, id);
		if (key.isEmpty()) {
			return Optional.empty();
		}
		Document kept = this.succeeded.getIfPresent(key.get());
		if (kept != null) {
			return Optional.of(kept);
		}
		return this.service.find(tenant, id).map((job) -> written(key.get(), job));
	}

	/**
	 * Whether the tenant has the job, answered from memory for a succeeded job that was
	 * read before; empty when it does not.
	 */
	Optional<JobKey> owned(Tenant tenant, String id) {
		Optional<JobKey> key = key(tenant, id);
		if (key.isPresent() && this.succeeded.getIfPresent(key.get()) != null) {
			return key;
		}
		return this.service.find(tenant, id).map((job) -> new JobKey(tenant.name(), job.id()));
	}

	private Document written(JobKey key, Job job) {
		byte[] body = this.writer.writeValueAsBytes(JobDocument.of(job));
		Document document = new Document(body, DocumentTags.of(key.tenant(), body), job.status(), keptFor(job));
		if (!document.keptFor().isZero()) {
			this.succeeded.put(key, document);
		}
		return document;
	}

	private Duration keptFor(Job job) {
		if (job.status() != JobStatus.SUCCEEDED || job.finishedAt() == null) {
			return Duration.ZERO;
		}
		Instant expires = job.finishedAt().plus(this.retention).minus(SKEW);
		Duration left = Duration.between(this.clock.instant(), expires);
		return left.isNegative() ? Duration.ZERO : left;
	}

	private static Optional<JobKey> key(Tenant tenant, String id) {
		try {
			return Optional.of(new JobKey(tenant.name(), UUID.fromString(id)));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
