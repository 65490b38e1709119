package io.gistgrep.bench.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gistgrep api, as a client sees it: {@code POST /jobs} and {@code GET /jobs/{id}}.
 */
final class Api {

	private static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled");

	/**
	 * A job as submitted, and its document when it finished.
	 *
	 * @param id the job's id
	 * @param username the user searched
	 * @param pattern the pattern
	 * @param submittedNanos {@link System#nanoTime} just before the {@code POST}
	 * @param finishedNanos {@link System#nanoTime} when a poll first saw it finished
	 * @param document the job document then
	 */
	record Job(String id, String username, String pattern, long submittedNanos, long finishedNanos, JsonNode document) {

		String status() {
			return this.document.path("status").asString();
		}

		JsonNode progress() {
			return this.document.path("progress");
		}

		int total() {
			return this.progress().path("gists_total").asInt(-1);
		}

		int matched() {
			return this.progress().path("gists_matched").asInt(-1);
		}

		/** Seconds from submission to the poll that saw it finished. */
		double clientSeconds() {
			return (this.finishedNanos - this.submittedNanos) / 1e9;
		}

		/**
		 * Seconds from {@code created_at} to {@code finished_at}, as the server recorded
		 * them.
		 */
		double serverSeconds() {
			Instant created = Instant.parse(this.document.path("created_at").asString());
			Instant finished = Instant.parse(this.document.path("finished_at").asString());
			return Duration.between(created, finished).toNanos() / 1e9;
		}

		/** Problems of the result, compared with what was expected; empty when right. */
		String check(int expectedTotal, int expectedMatched) {
			StringBuilder problems = new StringBuilder();
			JsonNode progress = progress();
			if (!status().equals("succeeded")) {
				problems.append("status ")
					.append(status())
					.append(' ')
					.append(this.document.path("error"))
					.append("; ");
			}
			if (total() != expectedTotal) {
				problems.append("gists_total ")
					.append(total())
					.append(" (expected ")
					.append(expectedTotal)
					.append("); ");
			}
			int counted = progress.path("gists_scanned").asInt() + progress.path("gists_skipped").asInt()
					+ progress.path("gists_failed").asInt();
			if (counted != expectedTotal) {
				problems.append("scanned+skipped+failed ").append(counted).append("; ");
			}
			if (progress.path("gists_failed").asInt() != 0 || progress.path("gists_skipped").asInt() != 0) {
				problems.append("failed ")
					.append(progress.path("gists_failed").asInt())
					.append(", skipped ")
					.append(progress.path("gists_skipped").asInt())
					.append("; ");
			}
			if (expectedMatched >= 0 && matched() != expectedMatched) {
				problems.append("gists_matched ")
					.append(matched())
					.append(" (expected ")
					.append(expectedMatched)
					.append("); ");
			}
			return problems.toString();
		}

	}

	/** A submitted job not yet awaited. */
	record Submitted(String id, String username, String pattern, long submittedNanos) {
	}

	/** How long a request is tried again while the api answers 503 or not at all. */
	private static final Duration RETRY_FOR = Duration.ofSeconds(60);

	private final Http http;

	private final String url;

	private final String key;

	private final AtomicInteger transientErrors = new AtomicInteger();

	Api(Http http, String url, String key) {
		this.http = http;
		this.url = url;
		this.key = key;
	}

	String url() {
		return this.url;
	}

	String authorization() {
		return "Bearer " + this.key;
	}

	/**
	 * Answers of 503 (the api's database unreachable, e.g. on an overloaded machine) and
	 * failed connections, each tried again (so a figure may include the wait; the results
	 * file shows this count).
	 */
	int transientErrors() {
		return this.transientErrors.get();
	}

	Submitted submit(String username, String pattern) {
		ObjectNode body = Http.JSON.createObjectNode().put("username", username).put("pattern", pattern);
		// An Idempotency-Key makes a retried submission the same job.
		HttpRequest request = Http.request(this.url + "/jobs")
			.header("Authorization", authorization())
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
			.build();
		long start = System.nanoTime();
		HttpResponse<String> response = sendRetrying(request);
		if (response.statusCode() != 202) {
			throw new IllegalStateException("POST /jobs answered " + response.statusCode() + ": " + response.body());
		}
		return new Submitted(Http.json(response).path("id").asString(), username, pattern, start);
	}

	JsonNode get(String id) {
		HttpResponse<String> response = sendRetrying(
				Http.request(this.url + "/jobs/" + id).header("Authorization", authorization()).build());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(
					"GET /jobs/" + id + " answered " + response.statusCode() + ": " + response.body());
		}
		return Http.json(response);
	}

	/**
	 * Cancels the job; false when it had already ended ({@code 409}), so it is not
	 * cancelled.
	 */
	boolean cancel(String id) {
		HttpResponse<String> response = this.http.send(Http.request(this.url + "/jobs/" + id + "/cancel")
			.header("Authorization", authorization())
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		if (response.statusCode() != 202 && response.statusCode() != 409) {
			throw new IllegalStateException(
					"POST /jobs/" + id + "/cancel answered " + response.statusCode() + ": " + response.body());
		}
		return response.statusCode() == 202;
	}

	private HttpResponse<String> sendRetrying(HttpRequest request) {
		long deadline = System.nanoTime() + RETRY_FOR.toNanos();
		while (true) {
			try {
				HttpResponse<String> response = this.http.send(request);
				if ((response.statusCode() != 503 && response.statusCode() != 409) || System.nanoTime() > deadline) {
					return response;
				}
			}
			catch (UncheckedIOException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
			}
			this.transientErrors.incrementAndGet();
			Pause.millis(250);
		}
	}

	/** Polls every {@code poll} until the job is finished, at most {@code timeout}. */
	Job await(Submitted job, Duration poll, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JsonNode document = get(job.id());
			long now = System.nanoTime();
			if (FINISHED.contains(document.path("status").asString())) {
				return new Job(job.id(), job.username(), job.pattern(), job.submittedNanos(), now, document);
			}
			if (now > deadline) {
				throw new IllegalStateException("Job " + job.id() + " (" + job.username() + ") not finished after "
						+ timeout + ": " + document);
			}
			Pause.millis(poll.toMillis());
		}
	}

	Job run(String username, String pattern, Duration poll, Duration timeout) {
		return await(submit(username, pattern), poll, timeout);
	}

}
