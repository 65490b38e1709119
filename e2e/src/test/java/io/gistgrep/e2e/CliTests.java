package io.gistgrep.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command-line client against the whole stack: github-sim as GitHub, the api and the
 * worker on the real services.
 */
class CliTests {

	private static final String SECRETS = "password = hunter[0-9]+|AKIA[0-9A-Z]{16}";

	private final Stack stack = Stack.get();

	private final Cli cli = new Cli(this.stack.apiUrl, Stack.API_KEY);

	@AfterEach
	void restoreTheSimulator() {
		this.stack.sim.setFaults(SimFaults.none());
	}

	@Test
	void theReadmesSearchPrintsTheOneMatchGrepStyleAndExitsZero() {
		Cli.Result result = this.cli.run("search", "justdionysus", "TerbiumLabsChallenge_[0-9]+");

		assertThat(result.status()).as(result.toString()).isZero();
		assertThat(result.lines()).containsExactly(
				"justdionysus/6b2972aa971dd605f524/challenge.txt:2: The flag is TerbiumLabsChallenge_4815162342");
		assertThat(result.err()).isEmpty();
	}

	@Test
	void theLinesOfASearchAreExactlyTheLinesOfTheUsersFilesThatMatch() {
		SimUser user = this.stack.sim.addUser(SyntheticUsers.generate(login("lines"), 120, 15));
		Set<String> expected = expectedLines(user, Pattern.compile(SECRETS));

		Cli.Result result = this.cli.run("search", user.login(), SECRETS);

		assertThat(expected).as("the user has something to find").hasSizeGreaterThan(5);
		assertThat(result.status()).as(result.toString()).isZero();
		assertThat(result.lines()).doesNotHaveDuplicates();
		assertThat(new HashSet<>(result.lines())).isEqualTo(expected);
	}

	@Test
	void aSearchThatFindsNothingPrintsNothingAndExitsOne() {
		Cli.Result result = this.cli.run("search", "justdionysus", "no such text anywhere [0-9]{40}");

		assertThat(result.status()).as(result.toString()).isEqualTo(1);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).isEmpty();
	}

	@Test
	void anUnknownUserIsTheJobsErrorInOneLineAndExitsTwo() {
		String login = login("nobody");

		Cli.Result result = this.cli.run("search", login, "TODO");

		assertThat(result.status()).as(result.toString()).isEqualTo(2);
		assertThat(result.out()).isEmpty();
		assertThat(result.err().lines()).singleElement()
			.asString()
			.startsWith("gistgrep: job ")
			.contains("failed: GitHub user not found: ", "'" + login + "'");
	}

	@Test
	void anInvalidPatternIsTheServersProblemInOneLineAndNoJobIsMade() {
		String login = login("invalid");

		Cli.Result result = this.cli.run("search", login, "a(b");

		assertThat(result.status()).as(result.toString()).isEqualTo(2);
		assertThat(result.err().lines()).singleElement()
			.asString()
			.startsWith("gistgrep: Invalid pattern: ")
			.contains("missing closing )");
		Cli.Result jobs = this.cli.run("jobs", "--all");
		assertThat(jobs.status()).as(jobs.toString()).isZero();
		assertThat(jobs.out()).startsWith("ID ").doesNotContain(login);
	}

	@Test
	void jsonIsTheJobAndEveryMatchAsTheApiAnswersThem() {
		SimUser user = this.stack.sim.addUser(SyntheticUsers.generate(login("json"), 80, 16));

		Cli.Result result = this.cli.run("search", user.login(), SECRETS, "--json");

		assertThat(result.status()).as(result.toString()).isZero();
		JsonNode printed = this.stack.json.readTree(result.out());
		String id = printed.path("job").path("id").asString();
		assertThat(printed.path("job")).isEqualTo(this.stack.get("/jobs/" + id).json());
		assertThat(printed.path("matches").valueStream().toList()).isEqualTo(allPages("/jobs/" + id + "/matches"))
			.hasSize(printed.path("job").path("progress").path("gists_matched").asInt())
			.hasSizeGreaterThan(1);
	}

	@Test
	void ndjsonIsTheApisExportAsItComes() throws Exception {
		SimUser user = this.stack.sim.addUser(SyntheticUsers.generate(login("ndjson"), 60, 17));

		Cli.Result result = this.cli.run("search", user.login(), SECRETS, "--ndjson");

		assertThat(result.status()).as(result.toString()).isZero();
		String id = onlyJob(user.login()).path("id").asString();
		HttpResponse<String> export = this.stack.http
			.send(HttpRequest.newBuilder(URI.create(this.stack.apiUrl + "/jobs/" + id + "/matches"))
				.header("Authorization", "Bearer " + Stack.API_KEY)
				.header("Accept", "application/x-ndjson")
				.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(result.out()).isEqualTo(export.body()).isNotEmpty();
	}

	@Test
	void filesWithMatchesAreTheDownloadUrlsAndCountsAreTheMatchesOfEachGist() {
		SimUser user = this.stack.sim.addUser(SyntheticUsers.generate(login("summary"), 60, 18));
		Cli.Result files = this.cli.run("search", user.login(), SECRETS, "-l");
		String id = onlyJob(user.login()).path("id").asString();

		Cli.Result counts = this.cli.run("matches", id, "--count");

		List<String> urls = new ArrayList<>();
		List<String> perGist = new ArrayList<>();
		for (JsonNode gist : allPages("/jobs/" + id + "/matches")) {
			int count = 0;
			for (JsonNode file : gist.path("files")) {
				urls.add(file.path("download_url").asString());
				count += file.path("match_count").asInt();
			}
			perGist.add(user.login() + "/" + gist.path("gist_id").asString() + ":" + count);
		}
		assertThat(files.status()).as(files.toString()).isZero();
		assertThat(files.lines()).isEqualTo(urls).isNotEmpty();
		assertThat(counts.status()).as(counts.toString()).isZero();
		assertThat(counts.lines()).isEqualTo(perGist);
	}

	@Test
	void coloursMarkTheMatchInBoldRedAsGrepDoes() {
		Cli.Result result = this.cli.run("search", "justdionysus", "Challenge_[0-9]{3,}", "--color=always");

		assertThat(result.lines()).containsExactly("\u001b[35mjustdionysus/6b2972aa971dd605f524/challenge.txt\u001b[m"
				+ "\u001b[36m:\u001b[m\u001b[32m2\u001b[m\u001b[36m:\u001b[m The flag is TerbiumLabs"
				+ "\u001b[01;31mChallenge_4815162342\u001b[m");
	}

	@Test
	void aWrongKeyIsTheUnauthorizedProblemInOneLineAndNoKeyIsEverPrinted() {
		String wrong = "ggk_wrong" + UUID.randomUUID().toString().replace("-", "");

		Cli.Result result = new Cli(this.stack.apiUrl, wrong).run("--debug", "search", "justdionysus", "x");

		assertThat(result.status()).as(result.toString()).isEqualTo(2);
		String unauthorized = result.err()
			.lines()
			.filter((line) -> !line.startsWith("gistgrep: [debug]") && !line.startsWith("\t"))
			.filter((line) -> line.startsWith("gistgrep: "))
			.findFirst()
			.orElseThrow();
		assertThat(unauthorized).startsWith("gistgrep: Unauthorized: ").contains("GISTGREP_API_KEY", "--api-key");
		assertThat(result.out() + result.err()).doesNotContain(wrong);

		Cli.Result none = new Cli(Map.of("GISTGREP_URL", this.stack.apiUrl)).run("jobs");
		assertThat(none.status()).isEqualTo(2);
		assertThat(none.err().lines()).singleElement().asString().startsWith("gistgrep: Unauthorized: ");
	}

	@Test
	void aKeyAHeaderCannotCarryIsSaidSoWithoutShowingIt() {
		String pasted = Stack.API_KEY + "\u200b";

		Cli.Result result = new Cli(this.stack.apiUrl, pasted).run("--debug", "jobs");

		assertThat(result.status()).as(result.toString()).isEqualTo(2);
		assertThat(result.err()).contains("gistgrep: The API key holds characters that an HTTP header cannot carry")
			.doesNotContain(Stack.API_KEY);
	}

	@Test
	void anUnreachableServerIsNamedWithItsUrlAndTheWayToStartOne() throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		String url = "http://127.0.0.1:" + closed;

		Cli.Result result = new Cli(url, Stack.API_KEY).run("search", "justdionysus", "x");

		assertThat(result.status()).as(result.toString()).isEqualTo(2);
		assertThat(result.err().lines()).singleElement()
			.asString()
			.isEqualTo("gistgrep: cannot reach the gistgrep server at " + url + " (connection refused). Is it running? "
					+ "Start one with bin/run-local, or point --url (GISTGREP_URL) at yours");
	}

	@Test
	void noWaitPrintsTheJobIdAtOnceAndAnIdempotencyKeyMakesTheRepeatTheSameJob() {
		String login = login("nowait");
		this.stack.sim.addUser(SyntheticUsers.generate(login, 5, 19));
		String key = UUID.randomUUID().toString();

		Cli.Result first = this.cli.run("search", login, "TODO", "--no-wait", "--idempotency-key", key);
		Cli.Result again = this.cli.run("search", login, "TODO", "--no-wait", "--idempotency-key", key);

		assertThat(first.status()).as(first.toString()).isZero();
		String id = first.out().strip();
		assertThat(UUID.fromString(id)).isNotNull();
		assertThat(again.out().strip()).isEqualTo(id);
		assertThat(this.stack.get("/jobs/" + id).json().path("username").asString()).isEqualTo(login);
		assertThat(this.cli.run("jobs", "--all", "--json").out()).containsOnlyOnce(login);
	}

	@Test
	void aWebhookIsPassedAndTheSecretTheServerMadeIsShownOnce() {
		String login = login("hook");
		this.stack.sim.addUser(SyntheticUsers.generate(login, 1, 20));

		Cli.Result result = this.cli.run("search", login, "TODO", "--no-wait", "--webhook", "http://127.0.0.1:9/hook");

		assertThat(result.status()).as(result.toString()).isZero();
		String id = result.out().strip();
		assertThat(result.err().lines()).singleElement()
			.asString()
			.matches("gistgrep: webhook secret of job " + id + " \\(shown only now\\): whsec_[A-Za-z0-9+/=]+");
		assertThat(this.stack.get("/jobs/" + id).json().path("webhook").path("url").asString())
			.isEqualTo("http://127.0.0.1:9/hook");
	}

	@Test
	void statusMatchesJobsAndCancelEachSpeakOfTheSameJob() {
		SimUser user = this.stack.sim.addUser(SyntheticUsers.generate(login("verbs"), 1500, 21));
		// Slow content keeps the job running while the commands look at it.
		this.stack.sim.setFaults(SimFaults.none().withRawLatency(Duration.ofMillis(30)));
		String id = this.cli.run("search", user.login(), SECRETS, "--no-wait").out().strip();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.stack.get("/jobs/" + id).json().path("progress").path("gists_matched").asInt() > 0);

		Cli.Result running = this.cli.run("status", id);
		Cli.Result soFar = this.cli.run("matches", id, "-c");
		Cli.Result listed = this.cli.run("jobs", "--status", "running");
		Cli.Result cancelled = this.cli.run("cancel", id);
		Cli.Result after = this.cli.run("status", id, "--json");
		Cli.Result twice = this.cli.run("cancel", id);

		assertThat(running.status()).as(running.toString()).isZero();
		assertThat(running.lines()).contains("job       " + id, "status    running", "user      " + user.login(),
				"pattern   " + SECRETS);
		assertThat(soFar.status()).as(soFar.toString()).isZero();
		assertThat(soFar.err()).isEqualTo("gistgrep: job " + id + " is running: these are the matches found so far\n");
		assertThat(soFar.lines()).isNotEmpty()
			.allMatch((line) -> line.matches(user.login() + "/[0-9a-f]+:[1-9][0-9]*"));
		assertThat(listed.out()).contains(id);
		assertThat(cancelled.status()).as(cancelled.toString()).isZero();
		assertThat(cancelled.out()).startsWith("cancelled job " + id + " (");
		assertThat(this.stack.json.readTree(after.out()).path("status").asString()).isEqualTo("cancelled");
		assertThat(twice.status()).isEqualTo(2);
		assertThat(twice.err().lines()).singleElement().asString().startsWith("gistgrep: Job already finished: ");
	}

	@Test
	void anUnknownJobAndBadArgumentsAreOneLineAndExitTwo() {
		Cli.Result unknown = this.cli.run("status", UUID.randomUUID().toString());
		Cli.Result missing = this.cli.run("search", "justdionysus");
		Cli.Result both = this.cli.run("search", "justdionysus", "x", "--json", "-l");
		Cli.Result badUrl = this.cli.run("--url", "localhost:8080", "jobs");
		Cli.Result badKey = this.cli.run("search", "justdionysus", "x", "--idempotency-key", "two words");

		assertThat(unknown.status()).isEqualTo(2);
		assertThat(unknown.err().lines()).singleElement().asString().startsWith("gistgrep: Job not found: ");
		assertThat(missing.status()).isEqualTo(2);
		assertThat(missing.err().lines()).singleElement()
			.asString()
			.isEqualTo("gistgrep: Missing required parameter: '<pattern>' (see 'gistgrep search --help')");
		assertThat(both.status()).isEqualTo(2);
		assertThat(both.err().lines()).singleElement().asString().contains("mutually exclusive");
		assertThat(badKey.status()).isEqualTo(2);
		assertThat(badKey.err())
			.isEqualTo("gistgrep: --idempotency-key must be 1 to 255 printable ASCII characters, without spaces\n");
		assertThat(badUrl.status()).isEqualTo(2);
		assertThat(badUrl.err().lines()).singleElement()
			.asString()
			.isEqualTo("gistgrep: Invalid server URL 'localhost:8080': give one such as http://localhost:8080"
					+ " (see 'gistgrep --help')");
	}

	/** Every item of a paginated api list, page after page. */
	private List<JsonNode> allPages(String path) {
		List<JsonNode> items = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = this.stack.get(path + "?limit=7" + ((cursor != null) ? "&cursor=" + cursor : "")).json();
			page.path("data").forEach(items::add);
			cursor = page.path("next_cursor").isString() ? page.path("next_cursor").asString() : null;
		}
		while (cursor != null);
		return items;
	}

	private JsonNode onlyJob(String login) {
		List<JsonNode> jobs = allPages("/jobs").stream()
			.filter((job) -> job.path("username").asString().equals(login))
			.toList();
		assertThat(jobs).hasSize(1);
		return jobs.getFirst();
	}

	/**
	 * The lines the client should print, computed from the simulator's data with
	 * java.util.regex line by line, independently of the scanner.
	 */
	static Set<String> expectedLines(SimUser user, Pattern pattern) {
		Set<String> lines = new HashSet<>();
		for (SimGist gist : user.gists()) {
			for (SimFile file : gist.files()) {
				String text = new String(file.content(), StandardCharsets.UTF_8);
				if (text.indexOf('\0') >= 0) {
					continue;
				}
				String[] fileLines = text.split("\n", -1);
				for (int i = 0; i < fileLines.length; i++) {
					if (pattern.matcher(fileLines[i]).find()) {
						lines.add(user.login() + "/" + gist.id() + "/" + file.filename() + ":" + (i + 1) + ": "
								+ fileLines[i]);
					}
				}
			}
		}
		return lines;
	}

	static String login(String what) {
		return "cli-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	static Map<String, String> env(Stack stack) {
		return new HashMap<>(Map.of("GISTGREP_URL", stack.apiUrl, "GISTGREP_API_KEY", Stack.API_KEY));
	}

}
