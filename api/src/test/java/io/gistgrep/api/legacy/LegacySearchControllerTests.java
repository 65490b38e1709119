package io.gistgrep.api.legacy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.gistgrep.api.RunningApi;
import io.gistgrep.common.job.JobError;
import io.gistgrep.db.job.JobRepository;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/v1/search} on the real services with no worker: the test ends the jobs
 * itself, as a worker would, while the requests wait.
 */
class LegacySearchControllerTests extends RunningApi {

	private static final Duration TIMEOUT = DurationStyle.detectAndParse(LEGACY_TIMEOUT);

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JobRepository jobs;

	@Autowired
	JobWaiter waiter;

	final HttpClient http = HttpClient.newHttpClient();

	final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aJobThatDoesNotEndInTimeIsAnsweredAsPendingWithItsLink() throws Exception {
		String username = username();
		long started = System.nanoTime();

		HttpResponse<String> response = search(username, "x").get();

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(TIMEOUT);
		assertThat(response.statusCode()).isEqualTo(202);
		UUID id = jobOf(username);
		assertThat(this.json.readTree(response.body()))
			.isEqualTo(this.json.readTree("{\"status\":\"pending\",\"job\":\"/jobs/" + id + "\"}"));
		assertThat(this.jobs.find(id).orElseThrow().status().isFinished()).isFalse();
	}

	@Test
	void aJobThatSucceedsWhileTheRequestWaitsIsAnsweredWithItsMatchingGists() throws Exception {
		String username = username();
		CompletableFuture<HttpResponse<String>> response = search(username, "TODO\\b");
		UUID id = await().atMost(TIMEOUT).until(() -> findJobOf(username), (found) -> found != null);
		this.jdbc.sql("""
				INSERT INTO job_gists (job_id, gist_id, page, html_url, files, state, matched) VALUES
				(:id, 'b', 1, 'https://gist.github.com/u/b', '[]', 'scanned', true),
				(:id, 'a', 1, 'https://gist.github.com/u/a', '[]', 'scanned', true),
				(:id, 'c', 1, 'https://gist.github.com/u/c', '[]', 'scanned', false)""").param("id", id).update();
		succeed(id);

		HttpResponse<String> answer = response.get();

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(answer.body())).isEqualTo(this.json
			.readTree("{\"status\":\"success\",\"username\":\"" + username + "\",\"pattern\":\"TODO\\\\b\",\"matches\":"
					+ "[\"https://gist.github.com/u/a\",\"https://gist.github.com/u/b\"]}"));
	}

	@Test
	void aJobThatFailsBecauseTheUserIsUnknownIsA404Problem() throws Exception {
		String username = username();
		CompletableFuture<HttpResponse<String>> response = search(username, "x");
		UUID id = await().atMost(TIMEOUT).until(() -> findJobOf(username), (found) -> found != null);
		assertThat(this.jobs.fail(id,
				JobError.of("github-user-not-found", "GitHub user not found", "GitHub has no user " + username + ".")))
			.isTrue();

		HttpResponse<String> answer = response.get();

		assertThat(answer.statusCode()).isEqualTo(404);
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying((ct) -> assertThat(ct).startsWith("application/problem+json"));
		JsonNode problem = this.json.readTree(answer.body());
		assertThat(problem.path("type").asString()).isEqualTo("https://gistgrep.dev/problems/github-user-not-found");
		assertThat(problem.path("detail").asString()).isEqualTo("GitHub has no user " + username + ".");
		assertThat(problem.path("job").asString()).isEqualTo("/jobs/" + id);
	}

	@Test
	void concurrentRequestsAllWaitOnTheOneWaiterAndAreAnsweredWhenTheirJobsEnd() {
		int requests = 20;
		List<String> usernames = IntStream.range(0, requests).mapToObj((i) -> username()).toList();
		List<CompletableFuture<HttpResponse<String>>> responses = usernames.stream()
			.map((username) -> search(username, "x"))
			.toList();
		List<UUID> ids = await().atMost(TIMEOUT)
			.until(() -> this.jdbc.sql("SELECT id FROM jobs WHERE username IN (:usernames)")
				.param("usernames", usernames)
				.query(UUID.class)
				.list(), (found) -> found.size() == requests);
		await().atMost(TIMEOUT).until(() -> this.waiter.awaited() >= requests);

		this.jdbc.sql("UPDATE jobs SET status = 'succeeded', finished_at = now() WHERE id IN (:ids)")
			.param("ids", ids)
			.update();

		assertThat(responses).allSatisfy((response) -> {
			HttpResponse<String> answer = response.get();
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(this.json.readTree(answer.body()).path("matches").isEmpty()).isTrue();
		});
	}

	private void succeed(UUID id) {
		this.jdbc.sql("UPDATE jobs SET status = 'succeeded', finished_at = now() WHERE id = :id")
			.param("id", id)
			.update();
	}

	private CompletableFuture<HttpResponse<String>> search(String username, String pattern) {
		String body = this.json.writeValueAsString(Map.of("username", username, "pattern", pattern));
		return this.http
			.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/search"))
				.header("Authorization", BEARER)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private UUID jobOf(String username) {
		UUID id = findJobOf(username);
		assertThat(id).as("the job of " + username).isNotNull();
		return id;
	}

	private UUID findJobOf(String username) {
		return this.jdbc.sql("SELECT id FROM jobs WHERE username = :username")
			.param("username", username)
			.query(UUID.class)
			.optional()
			.orElse(null);
	}

	private static String username() {
		return "legacy-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
