package io.gistgrep.api.job;

import java.io.OutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.auth.AuthConfiguration;
import io.gistgrep.api.auth.Tenant;
import io.gistgrep.api.problem.Problems;
import io.gistgrep.common.job.IllegalJobTransitionException;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.gist.MatchingGist;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobDocument;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.webhook.WebhookRepository;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Jobs: submit a search, follow it, cancel it, page through or export its matches. Each
 * is the caller's tenant's: another tenant's job is answered as missing.
 */
@RestController
@SecurityRequirement(name = AuthConfiguration.API_KEY)
class JobController {

	/** Seconds a client should wait before polling a job that is not finished. */
	static final String POLL_AFTER = "2";

	static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

	private static final int EXPORT_PAGE = 500;

	private final JobService service;

	private final JobRepository jobs;

	private final GistRepository gists;

	private final Submissions submissions;

	private final WebhookRepository webhooks;

	private final JsonMapper json;

	private final JobDocuments documents;

	JobController(JobService service, JobRepository jobs, GistRepository gists, Submissions submissions,
			WebhookRepository webhooks, JsonMapper json, JobDocuments documents) {
		this.service = service;
		this.jobs = jobs;
		this.gists = gists;
		this.submissions = submissions;
		this.webhooks = webhooks;
		this.json = json;
		this.documents = documents;
	}

	/**
	 * How job documents are written: with their links in a fixed order ({@code Map.of}'s
	 * order changes from one JVM to the next), so that the same job gives the same bytes,
	 * and so the same ETag, on every replica.
	 */
	static ObjectWriter documents(JsonMapper json) {
		return json.writerFor(JobDocument.class).with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
	}

	@PostMapping(path = "/jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> submit(Tenant tenant, @RequestBody JobRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
		JobService.Search search = this.service.validate(request.username(), request.pattern(), request.webhook());
		Submissions.Accepted accepted = this.submissions.submit(tenant, search, key);
		ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.ACCEPTED)
			.location(URI.create("/jobs/" + accepted.jobId()))
			.header(HttpHeaders.RETRY_AFTER, POLL_AFTER)
			.contentType(MediaType.APPLICATION_JSON);
		if (accepted.replayed()) {
			response.header("Idempotent-Replayed", "true");
		}
		return response.body(accepted.body());
	}

	/**
	 * The job's document: one indexed read of its row, written once to bytes, with a
	 * strong ETag of those bytes ({@link DocumentTags}); a succeeded job's, which no
	 * longer changes, from memory once read ({@link JobDocuments}). A poller that sends
	 * the tag back in {@code If-None-Match} gets {@code 304} and no body while nothing it
	 * would see has changed. {@code private, no-cache}: a client may keep the answer, and
	 * asks again before each use.
	 */
	@GetMapping(path = "/jobs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "200", description = "The job",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = JobDocument.class)))
	ResponseEntity<byte[]> get(Tenant tenant, @PathVariable String id) {
		JobDocuments.Document document = this.documents.find(tenant, id).orElseThrow(() -> Problems.jobNotFound(id));
		ResponseEntity.BodyBuilder response = ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.eTag(document.tag())
			.cacheControl(CacheControl.noCache().cachePrivate());
		if (!document.status().isFinished()) {
			response.header(HttpHeaders.RETRY_AFTER, POLL_AFTER);
		}
		return response.body(document.body());
	}

	@PostMapping("/jobs/{id}/cancel")
	ResponseEntity<JobDocument> cancel(Tenant tenant, @PathVariable String id) {
		JobKey key = owned(tenant, id);
		if (!this.service.cancel(key)) {
			Job now = this.jobs.find(key).orElseThrow(() -> Problems.jobNotFound(id));
			if (now.status() == JobStatus.CANCELLED) {
				throw Problems.of(HttpStatus.CONFLICT, "job-finished", "Job already finished",
						"The job is already cancelled.");
			}
			try {
				now.status().moveTo(JobStatus.CANCELLED);
			}
			catch (IllegalJobTransitionException ex) {
				throw Problems.of(HttpStatus.CONFLICT, "job-finished", "Job already finished", ex.getMessage() + ".");
			}
		}
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(JobDocument.of(this.jobs.find(key).orElseThrow(() -> Problems.jobNotFound(id))));
	}

	@GetMapping("/jobs")
	ResponseEntity<Page<JobDocument>> list(Tenant tenant, @RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		int size = Cursor.limit(limit);
		JobStatus filter = (status != null) ? parseStatus(status) : null;
		Instant afterCreatedAt = null;
		UUID afterId = null;
		if (cursor != null) {
			String key = Cursor.decode(cursor);
			int bar = key.indexOf('|');
			try {
				afterCreatedAt = Instant.parse(key.substring(0, bar));
				afterId = UUID.fromString(key.substring(bar + 1));
			}
			catch (RuntimeException ex) {
				throw Cursor.invalid();
			}
		}
		List<Job> found = this.jobs.page(tenant.name(), filter, afterCreatedAt, afterId, size + 1);
		List<JobDocument> page = found.stream().limit(size).map(JobDocument::of).toList();
		String next = null;
		if (found.size() > size) {
			Job last = found.get(size - 1);
			next = Cursor.encode(last.createdAt() + "|" + last.id());
		}
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (next != null) {
			response.header(HttpHeaders.LINK, "</jobs?limit=" + size
					+ ((status != null) ? "&status=" + filter.value() : "") + "&cursor=" + next + ">; rel=\"next\"");
		}
		return response.body(new Page<>(page, next));
	}

	private static JobStatus parseStatus(String status) {
		try {
			return JobStatus.fromValue(status);
		}
		catch (IllegalArgumentException ex) {
			throw Problems.badRequest("invalid-status", "Invalid status",
					"status must be one of queued, running, succeeded, failed, cancelled; not '" + status + "'.");
		}
	}

	@GetMapping(path = "/jobs/{id}/matches", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Page<MatchView>> matches(Tenant tenant, @PathVariable String id,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		int size = Cursor.limit(limit);
		String after = (cursor != null) ? Cursor.decode(cursor) : null;
		JobKey job = owned(tenant, id);
		List<MatchingGist> found = this.gists.matchingGists(job, after, size + 1);
		boolean more = found.size() > size;
		List<MatchView> page = found.stream().limit(size).map(MatchView::of).toList();
		String next = more ? Cursor.encode(page.getLast().gistId()) : null;
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (next != null) {
			response.header(HttpHeaders.LINK,
					"</jobs/" + job.id() + "/matches?limit=" + size + "&cursor=" + next + ">; rel=\"next\"");
		}
		return response.body(new Page<>(page, next));
	}

	/**
	 * Every matching gist, one JSON object a line, read from the database a page at a
	 * time and flushed as it goes: memory stays flat whatever the job's size.
	 */
	@GetMapping(path = "/jobs/{id}/matches", produces = "application/x-ndjson")
	ResponseEntity<StreamingResponseBody> export(Tenant tenant, @PathVariable String id) {
		JobKey job = owned(tenant, id);
		StreamingResponseBody body = (OutputStream out) -> {
			String after = null;
			List<MatchingGist> page;
			do {
				page = this.gists.matchingGists(job, after, EXPORT_PAGE);
				for (MatchingGist gist : page) {
					out.write(this.json.writeValueAsBytes(MatchView.of(gist)));
					out.write('\n');
				}
				out.flush();
				after = page.isEmpty() ? after : page.getLast().gistId();
			}
			while (page.size() == EXPORT_PAGE);
		};
		return ResponseEntity.ok().contentType(NDJSON).body(body);
	}

	@GetMapping("/jobs/{id}/webhook-deliveries")
	Map<String, Object> deliveries(Tenant tenant, @PathVariable String id) {
		JobKey job = owned(tenant, id);
		return Map.of("data", this.webhooks.forJob(job).stream().map(DeliveryView::of).toList());
	}

	/**
	 * The key of the tenant's job {@code id}, or a 404 problem when the tenant has no
	 * such job. The queries that follow take the key, and so repeat the tenant.
	 */
	private JobKey owned(Tenant tenant, String id) {
		return this.documents.owned(tenant, id).orElseThrow(() -> Problems.jobNotFound(id));
	}

}
