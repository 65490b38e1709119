package io.gistgrep.api.job;

import java.net.URI;
import java.util.List;

import io.gistgrep.api.problem.Problems;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.gist.MatchingGist;
import io.gistgrep.db.job.Job;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Jobs: submit a search, follow its progress, page through its matches. */
@RestController
class JobController {

	/** Seconds a client should wait before polling a job that is not finished. */
	static final String POLL_AFTER = "2";

	private final JobService service;

	private final GistRepository gists;

	JobController(JobService service, GistRepository gists) {
		this.service = service;
		this.gists = gists;
	}

	@PostMapping(path = "/jobs", consumes = "application/json")
	ResponseEntity<JobView> submit(@RequestBody JobRequest request) {
		if (request.webhook() != null && !request.webhook().isNull()) {
			throw Problems.badRequest("webhooks-unavailable", "Webhooks are not available yet",
					"This gistgrep does not deliver webhooks yet; submit without 'webhook' and poll the job.");
		}
		JobService.Search search = this.service.validate(request.username(), request.pattern());
		Job job = this.service.create(search);
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.location(URI.create("/jobs/" + job.id()))
			.header(HttpHeaders.RETRY_AFTER, POLL_AFTER)
			.body(JobView.of(job));
	}

	@GetMapping("/jobs/{id}")
	ResponseEntity<JobView> get(@PathVariable String id) {
		Job job = this.service.find(id).orElseThrow(() -> Problems.jobNotFound(id));
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (!job.status().isFinished()) {
			response.header(HttpHeaders.RETRY_AFTER, POLL_AFTER);
		}
		return response.body(JobView.of(job));
	}

	@GetMapping("/jobs/{id}/matches")
	ResponseEntity<Page<MatchView>> matches(@PathVariable String id,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		int size = Cursor.limit(limit);
		String after = (cursor != null) ? Cursor.decode(cursor) : null;
		Job job = this.service.find(id).orElseThrow(() -> Problems.jobNotFound(id));
		List<MatchingGist> found = this.gists.matchingGists(job.id(), after, size + 1);
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

}
