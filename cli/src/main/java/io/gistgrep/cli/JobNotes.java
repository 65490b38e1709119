package io.gistgrep.cli;

import java.util.Optional;

import tools.jackson.databind.JsonNode;

/** What a job's document says about its results, in the client's one-line words. */
final class JobNotes {

	private JobNotes() {
	}

	/** A failed job's error: {@code job <id> failed: <title>: <detail>}. */
	static String failure(JsonNode job) {
		JsonNode error = job.path("error");
		String title = error.path("title").asString("");
		String detail = error.path("detail").asString("");
		String reason = title.isEmpty() ? detail : (detail.isEmpty() ? title : title + ": " + detail);
		return "job " + job.path("id").asString() + " failed" + (reason.isEmpty() ? "" : ": " + reason);
	}

	/**
	 * When some of the job's gists could not be scanned, a note that its matches are
	 * short of theirs: a search for leaked keys must not look complete when it is not.
	 */
	static Optional<String> unscanned(JsonNode job) {
		int failed = job.path("progress").path("gists_failed").asInt();
		return (failed == 0) ? Optional.empty() : Optional.of(failed + " gists of job " + job.path("id").asString()
				+ " could not be scanned; their matches are missing");
	}

}
