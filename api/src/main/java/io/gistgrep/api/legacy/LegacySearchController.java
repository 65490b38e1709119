package io.gistgrep.api.legacy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.gistgrep.api.job.JobService;
import io.gistgrep.api.problem.Problems;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobError;
import io.gistgrep.db.job.JobRepository;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original service's synchronous search, kept for its clients: it runs an ordinary
 * job and waits for it. Unlike the original, it searches every gist, and answers an
 * unknown user with a 404 problem instead of a 500.
 */
@RestController
class LegacySearchController {

	private static final Duration POLL = Duration.ofMillis(100);

	private final JobService service;

	private final JobRepository jobs;

	private final GistRepository gists;

	private final LegacyProperties properties;

	LegacySearchController(JobService service, JobRepository jobs, GistRepository gists, LegacyProperties properties) {
		this.service = service;
		this.jobs = jobs;
		this.gists = gists;
		this.properties = properties;
	}

	record LegacyRequest(@Nullable JsonNode username, @Nullable JsonNode pattern) {

	}

	@PostMapping(path = "/api/v1/search", consumes = "application/json")
	ResponseEntity<Map<String, Object>> search(@RequestBody LegacyRequest request) {
		JobService.Search search = this.service.validate(request.username(), request.pattern());
		Job job = this.service.create(search);
		Instant deadline = Instant.now().plus(this.properties.timeout());
		// Request threads are virtual, so waiting here holds no platform thread.
		Job current = job;
		while (!current.status().isFinished() && Instant.now().isBefore(deadline)) {
			LockSupport.parkNanos(POLL.toNanos());
			current = this.jobs.find(job.id()).orElseThrow();
		}
		if (!current.status().isFinished()) {
			return ResponseEntity.status(HttpStatus.ACCEPTED)
				.body(Map.of("status", "pending", "job", "/jobs/" + job.id()));
		}
		if (current.status() != JobStatus.SUCCEEDED) {
			throw failure(current);
		}
		List<String> matches = this.gists.matchingHtmlUrls(job.id());
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
