package io.gistgrep.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.gistgrep.messaging.ConfirmedPublisher;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A search from submission to the last page of matches, through every part of the stack.
 */
class PipelineTests {

	private final Stack stack = Stack.get();

	@Test
	void aUserWith250GistsOverThreePagesYieldsExactlyTheMatchesComputedFromTheSimulatorsData() {
		SimUser user = this.stack.sim.addUser(SyntheticUsers.generate("many-" + suffix(), 250, 7));
		String pattern = "AKIA[0-9A-Z]{16}|TODO";
		long listsBefore = this.stack.sim.counters().listRequests();

		JsonNode job = finished(submit(user.login(), pattern));

		Set<String> expected = Stack.expectedMatches(user, Pattern.compile(pattern));
		assertThat(expected).as("the synthetic data holds matches and non-matches").isNotEmpty().hasSizeLessThan(250);
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		JsonNode progress = job.path("progress");
		assertThat(progress.path("gists_total").asInt()).isEqualTo(250);
		assertThat(progress.path("gists_scanned").asInt() + progress.path("gists_skipped").asInt()
				+ progress.path("gists_failed").asInt())
			.isEqualTo(250);
		assertThat(progress.path("gists_failed").asInt()).isZero();
		assertThat(progress.path("gists_matched").asInt()).isEqualTo(expected.size());
		assertThat(this.stack.sim.counters().listRequests() - listsBefore)
			.as("listing calls for 3 pages, twice (the second pass finds nothing changed)")
			.isEqualTo(6);

		List<JsonNode> matches = allMatches(job.path("id").asString(), 40);
		List<String> ids = matches.stream().map((m) -> m.path("gist_id").asString()).toList();
		assertThat(ids).as("each matching gist once, in order").doesNotHaveDuplicates().isSorted();
		assertThat(Set.copyOf(ids)).isEqualTo(expected);
		JsonNode first = matches.getFirst();
		assertThat(first.path("html_url").asString())
			.isEqualTo("https://gist.github.com/" + user.login() + "/" + first.path("gist_id").asString());
		JsonNode file = first.path("files").get(0);
		assertThat(file.path("download_url").asString()).startsWith(this.stack.sim.rawBaseUrl() + "/" + user.login());
		assertThat(file.path("match_count").asInt()).isPositive();
		JsonNode line = file.path("matches").get(0);
		String text = line.path("text").asString();
		assertThat(Pattern.compile(pattern)
			.matcher(text.substring(line.path("start").asInt(), line.path("end").asInt()))
			.matches()).as("start and end delimit the match within the line").isTrue();
	}

	@Test
	void redeliveredTasksOfAFinishedJobChangeNothing() {
		SimUser user = this.stack.sim.addUser(SyntheticUsers.generate("again-" + suffix(), 20, 11));
		JsonNode job = finished(submit(user.login(), "TODO"));
		UUID id = UUID.fromString(job.path("id").asString());
		MeterRegistry meters = this.stack.worker.getBean(MeterRegistry.class);
		// A finished job's scans are dropped by the status check; a running job's by the
		// gist's own state. Either way they must change nothing.
		double before = dropped(meters);
		double listingBefore = meters.counter("gistgrep.listing.job-finished").count();
		ConfirmedPublisher publisher = this.stack.worker.getBean(ConfirmedPublisher.class);
		List<ScanGist> again = user.gists().stream().map((g) -> new ScanGist(id, g.id())).toList();
		publisher.publishAll(Queues.EXCHANGE, Queues.SCAN_GIST, again);
		publisher.publish(Queues.EXCHANGE, Queues.START_JOB, new StartJob(id));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> dropped(meters) - before >= 20
					&& meters.counter("gistgrep.listing.job-finished").count() - listingBefore >= 1);
		JsonNode after = this.stack.get("/jobs/" + id).json();
		assertThat(after.path("progress")).isEqualTo(job.path("progress"));
		assertThat(after.path("finished_at")).isEqualTo(job.path("finished_at"));
		JdbcClient jdbc = this.stack.worker.getBean(JdbcClient.class);
		assertThat(jdbc.sql("SELECT count(*) FROM gist_files WHERE job_id = :id")
			.param("id", id)
			.query(Long.class)
			.single()).as("files recorded once per gist")
			.isEqualTo(user.gists().stream().mapToLong((g) -> g.files().size()).sum());
	}

	@Test
	void aUserWithoutGistsSucceedsWithZero() {
		SimUser user = this.stack.sim.addUser(SimUser.of("empty-" + suffix(), 424242));
		JsonNode job = finished(submit(user.login(), "anything"));
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		assertThat(job.path("progress").path("gists_total").asInt()).isZero();
		assertThat(job.path("progress").path("gists_matched").asInt()).isZero();
		assertThat(this.stack.get("/jobs/" + job.path("id").asString() + "/matches").json().path("data")).isEmpty();
	}

	@Test
	void anUnknownUserFailsTheJobWithAProblem() {
		JsonNode job = finished(submit("no-such-user-" + suffix(), "x"));
		assertThat(job.path("status").asString()).isEqualTo("failed");
		assertThat(job.path("error").path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/github-user-not-found");
		assertThat(job.path("progress").path("gists_total").isNull()).isTrue();
		assertThat(job.path("finished_at").isNull()).isFalse();
	}

	@Test
	void largeBinaryAndOddlyNamedFilesAreHandledAsSpecified() {
		String login = "odd-" + suffix();
		byte[] big = new byte[1_500_000];
		java.util.Arrays.fill(big, (byte) 'a');
		for (int i = 99; i < big.length; i += 100) {
			big[i] = '\n';
		}
		String needle = "NEEDLE_4711";
		byte[] bigWithTail = concat(big, ("tail " + needle).getBytes(StandardCharsets.UTF_8));
		byte[] binary = concat(new byte[] { 0x7f, 'E', 'L', 'F', 0, 0, 1 }, needle.getBytes(StandardCharsets.UTF_8));
		Instant t = Instant.parse("2024-05-01T10:00:00Z");
		SimUser user = this.stack.sim.addUser(SimUser.of(login, 5150,
				SimGist.of("aaaa0000000000000001", "big", t, SimFile.of("big.log", bigWithTail)),
				SimGist.of("aaaa0000000000000002", "binary", t.plusSeconds(1), SimFile.of("a.out", binary)),
				SimGist.of("aaaa0000000000000003", "names", t.plusSeconds(2),
						SimFile.text("notes über ☃ 2.txt", "first\n  " + needle + " here\n")),
				SimGist.of("aaaa0000000000000004", "nothing", t.plusSeconds(3), SimFile.text("x.txt", "NEEDLE_x\n"))));

		JsonNode job = finished(submit(user.login(), "NEEDLE_[0-9]+"));
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		assertThat(job.path("progress").path("gists_matched").asInt()).isEqualTo(2);
		assertThat(job.path("progress").path("gists_skipped").asInt()).as("the binary gist").isEqualTo(1);
		assertThat(job.path("progress").path("gists_scanned").asInt()).isEqualTo(3);

		List<JsonNode> matches = allMatches(job.path("id").asString(), 100);
		assertThat(matches).extracting((m) -> m.path("gist_id").asString())
			.containsExactly("aaaa0000000000000001", "aaaa0000000000000003");
		JsonNode bigFile = matches.get(0).path("files").get(0);
		assertThat(bigFile.path("size").asLong()).isEqualTo(bigWithTail.length);
		assertThat(bigFile.path("match_count").asInt()).isEqualTo(1);
		assertThat(bigFile.path("matches").get(0).path("line").asInt()).isEqualTo(15_001);
		assertThat(bigFile.path("matches").get(0).path("text").asString()).isEqualTo("tail " + needle);
		JsonNode named = matches.get(1).path("files").get(0);
		assertThat(named.path("filename").asString()).isEqualTo("notes über ☃ 2.txt");
		assertThat(named.path("download_url").asString()).contains("/raw/")
			.endsWith("notes%20%C3%BCber%20%E2%98%83%202.txt");
		JsonNode match = named.path("matches").get(0);
		assertThat(match.path("line").asInt()).isEqualTo(2);
		assertThat(match.path("start").asInt()).isEqualTo(2);
		assertThat(match.path("end").asInt()).isEqualTo(2 + needle.length());
		assertThat(this.stack.sim.counters().rawRequestsWithAuthorization()).as("tokens never go to raw hosts")
			.isZero();
	}

	private static double dropped(MeterRegistry meters) {
		return meters.counter("gistgrep.scan.already-counted").count()
				+ meters.counter("gistgrep.scan.job-ended").count();
	}

	private String submit(String username, String pattern) {
		Stack.Response response = this.stack.post("/jobs",
				this.stack.json.writeValueAsString(java.util.Map.of("username", username, "pattern", pattern)));
		assertThat(response.status()).isEqualTo(202);
		String id = response.json().path("id").asString();
		assertThat(response.header("Location")).isEqualTo("/jobs/" + id);
		assertThat(response.json().path("status").asString()).isEqualTo("queued");
		return id;
	}

	private JsonNode finished(String id) {
		return await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.stack.get("/jobs/" + id).json(),
					(job) -> Set.of("succeeded", "failed", "cancelled").contains(job.path("status").asString()));
	}

	private List<JsonNode> allMatches(String id, int limit) {
		List<JsonNode> all = new ArrayList<>();
		String path = "/jobs/" + id + "/matches?limit=" + limit;
		int pages = 0;
		while (path != null) {
			Stack.Response page = this.stack.get(path);
			assertThat(page.status()).isEqualTo(200);
			JsonNode body = page.json();
			assertThat(body.path("data").size()).isLessThanOrEqualTo(limit);
			body.path("data").forEach(all::add);
			JsonNode next = body.path("next_cursor");
			if (next.isNull()) {
				assertThat(page.header("Link")).isNull();
				path = null;
			}
			else {
				String link = page.header("Link");
				assertThat(link).endsWith("; rel=\"next\"");
				path = link.substring(1, link.indexOf('>'));
				assertThat(path).contains("cursor=" + next.asString());
			}
			assertThat(++pages).as("pages").isLessThan(100);
		}
		return all;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
