package io.gistgrep.api.legacy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.auth.AuthConfiguration;
import io.gistgrep.api.auth.Tenant;
import io.gistgrep.api.job.JobService;
import io.gistgrep.api.problem.Problems;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobError;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.JobRepository;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The original service's synchronous search, kept for its clients: it runs an ordinary
 * job and waits for it. Unlike the original, it searches every gist, and answers an
 * unknown user with a 404 problem instead of a 500. It needs an API key like
 * {@code /jobs}, and runs the job under the key's tenant. The wait holds no thread: the
 * request is asynchronous, and {@link JobWaiter} completes it when the job ends.
 */
@RestController
@SecurityRequirement(name = AuthConfiguration.API_KEY)
class LegacySearchController {

	/**
	 * How much longer than the legacy timeout Spring MVC lets a request run: the waiter
	 * answers "pending" at the legacy timeout; this only keeps the container's own async
	 * timeout from cutting in first.
	 */
	private static final Duration GRACE = Duration.ofSeconds(10);

	private final JobService service;

	private final JobRepository jobs;

	private final GistRepository gists;

	private final JobWaiter waiter;

	private final LegacyProperties properties;

	LegacySearchController(JobService service, JobRepository jobs, GistRepository gists, JobWaiter waiter,
			LegacyProperties properties) {
		this.service = service;
		this.jobs = jobs;
		this.gists = gists;
		this.waiter = waiter;
		this.properties = properties;
	}

	record LegacyRequest(@Nullable JsonNode username, @Nullable JsonNode pattern) {

	}

	@PostMapping(path = "/api/v1/search", consumes = "application/json")
	DeferredResult<ResponseEntity<Map<String, Object>>> search(Tenant tenant, @RequestBody LegacyRequest request) {
		JobService.Search search = this.service.validate(request.username(), request.pattern());
		Job job = this.service.create(tenant, search);
		DeferredResult<ResponseEntity<Map<String, Object>>> result = new DeferredResult<>(
				this.properties.timeout().plus(GRACE).toMillis());
		JobKey key = new JobKey(tenant.name(), job.id());
		this.waiter.awaitEnd(key, this.properties.timeout()).whenComplete((ended, failure) -> {
			try {
				if (failure != null) {
					result.setErrorResult(failure);
				}
				else {
					result.setResult(Boolean.TRUE.equals(ended) ? answer(key, search) : pending(job.id()));
				}
			}
			catch (RuntimeException ex) {
				result.setErrorResult(ex);
			}
		});
		return result;
	}

	private static ResponseEntity<Map<String, Object>> pending(UUID id) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("status", "pending", "job", "/jobs/" + id));
	}

	private ResponseEntity<Map<String, Object>> answer(JobKey key, JobService.Search search) {
		Job ended = this.jobs.find(key).orElseThrow();
		if (ended.status() != JobStatus.SUCCEEDED) {
			throw failure(ended);
		}
		List<String> matches = this.gists.matchingHtmlUrls(key);
		return ResponseEntity.ok(Map.of("status", "success", "username", search.username(), "pattern", search.pattern(),
				"matches", matches));
	}

	private static ErrorResponseException failure(Job job) {
		JobError error = job.error();
		if (error == null) {
			return Problems.of(HttpStatus.BAD_GATEWAY, "job-" + job.status().value(), "The search did not finish",
					"The search ended " + job.status().value() + ".");
		}
		HttpStatus status = error.type().endsWith("/github-user-not-found") ? HttpStatus.NOT_FOUND
				: HttpStatus.BAD_GATEWAY;
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, error.detail());
		problem.setType(java.net.URI.create(error.type()));
		problem.setTitle(error.title());
		problem.setProperty("job", "/jobs/" + job.id());
		return new ErrorResponseException(status, problem, null);
	}

}
