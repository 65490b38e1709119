package io.gistgrep.bench.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bench driver's own steps around a job, rehearsed while github-sim warms up, before
 * any app starts: the driver shares the machine's 2 cores with the pipeline it measures,
 * and its JIT must not compete with the first job.
 */
final class DriverSteps {

	/** The steps' rounds, in each round of the simulator's warm-up. */
	private static final int ROUNDS = 50;

	private static final String FINISHED_STATUS = "succeeded";

	/** A job document as {@code GET /jobs/{id}} writes it (DESIGN.md). */
	private static final String JOB_DOCUMENT = """
			{"id": "0b8f0000-0000-4000-8000-00000000000%d", "status": "succeeded", "username": "octocat",
			 "pattern": "TODO\\\\b", "progress": {"gists_total": 250, "gists_scanned": 250, "gists_matched": %d,
			 "gists_skipped": 0, "gists_failed": 0, "waiting_for_github_until": null},
			 "created_at": "2026-12-02T11:34:39.115402Z", "started_at": "2026-12-02T11:34:39.2Z",
			 "finished_at": "2026-12-02T11:34:40.734016Z", "error": null,
			 "links": {"self": "/jobs/0b8f", "matches": "/jobs/0b8f/matches"}}
			""";

	private DriverSteps() {
	}

	/**
	 * The driver's own steps around a job, which the simulator's rounds do not take: a
	 * {@code POST} with a JSON body, the reading of a job document, the reading of
	 * {@code /proc} before and after. Unwarmed, the driver's C2 compiled them (and
	 * recompiled what they deoptimized) during case 3's first job: 0.3-0.6 s of CPU
	 * against 0.06 s during the next job, on the 2 cores the first job runs on.
	 */
	static void rehearse(Http http, String simUrl, AppProcess sim) {
		for (int i = 0; i < ROUNDS; i++) {
			CpuSpend start = CpuSpend.now(List.of(sim));
			ObjectNode body = Http.JSON.createObjectNode()
				.put("username", "octocat")
				.put("pattern", "TODO|AKIA[0-9A-Z]{16}");
			// No such route on the simulator: a JSON 404, read as POST /jobs's 202 is.
			// With
			// the bench's token, which has a quota of its own (an anonymous request would
			// use up the simulator's 60 an hour per address).
			HttpResponse<String> answer = http.send(Http.request(simUrl + "/bench/warm-up")
				.header("Authorization", "Bearer bench-probe")
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
				.build());
			if (answer.statusCode() != 404 || Http.json(answer).path("message").asString().isEmpty()) {
				throw new IllegalStateException("github-sim answered the driver's POST with " + answer.statusCode()
						+ ", not its JSON 404: " + answer.body());
			}
			JsonNode document = Http.JSON.readTree(JOB_DOCUMENT.replace("%d", Integer.toString(i)));
			if (!FINISHED_STATUS.equals(document.path("status").asString())) {
				throw new IllegalStateException("A job document read back wrong: " + document);
			}
			CpuSpend.now(List.of(sim)).perUnit(start, 1, "round", 1e3, "ms");
		}
	}

}
