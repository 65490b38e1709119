package io.gistgrep.api.job;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import io.gistgrep.api.RunningApi;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.StartJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs api over HTTP, on real PostgreSQL and RabbitMQ (no worker runs here). */
class JobControllerTests extends RunningApi {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RabbitTemplate rabbit;

	final HttpClient http = HttpClient.newHttpClient();

	final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aValidSearchIsAcceptedStoredAndStartedThroughTheOutbox() throws Exception {
		HttpResponse<String> response = post("/jobs", "application/json",
				"{\"username\":\"octocat\",\"pattern\":\"TODO\\\\b\"}");
		assertThat(response.statusCode()).isEqualTo(202);
		JsonNode job = this.json.readTree(response.body());
		String id = job.path("id").asString();
		assertThat(response.headers().firstValue("Location")).hasValue("/jobs/" + id);
		assertThat(job.path("status").asString()).isEqualTo("queued");
		assertThat(job.path("pattern").asString()).isEqualTo("TODO\\b");
		assertThat(job.path("progress").path("gists_total").isNull()).isTrue();
		assertThat(job.path("progress").path("gists_scanned").asInt()).isZero();
		assertThat(job.path("progress").has("waiting_for_github_until")).isTrue();
		assertThat(job.path("progress").path("waiting_for_github_until").isNull()).isTrue();
		assertThat(job.path("links").path("matches").asString()).isEqualTo("/jobs/" + id + "/matches");
		assertThat(job.has("finished_at")).isTrue();

		StartJob expected = new StartJob(UUID.fromString(id));
		StartJob started;
		do {
			// Other tests' jobs are in the queue too: no worker consumes it here.
			started = this.rabbit.receiveAndConvert(Queues.START_JOB, 10_000, new ParameterizedTypeReference<>() {
			});
		}
		while (started != null && !started.equals(expected));
		assertThat(started).isEqualTo(expected);
		assertThat(this.jdbc.sql("SELECT count(*) FROM outbox WHERE payload LIKE :id AND sent_at IS NOT NULL")
			.param("id", "%" + id + "%")
			.query(Long.class)
			.single()).isEqualTo(1);

		HttpResponse<String> polled = get("/jobs/" + id);
		assertThat(polled.statusCode()).isEqualTo(200);
		assertThat(polled.headers().firstValue("Retry-After")).hasValue("2");
		assertThat(this.json.readTree(polled.body()).path("id").asString()).isEqualTo(id);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "missing username|{\"pattern\":\"x\"}|invalid-username|username is required.",
			"username not a string|{\"username\":42,\"pattern\":\"x\"}|invalid-username|username must be a string.",
			"leading hyphen|{\"username\":\"-octo\",\"pattern\":\"x\"}|invalid-username|",
			"too long username|{\"username\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"pattern\":\"x\"}|invalid-username|username must be at most 39 characters long.",
			"missing pattern|{\"username\":\"octocat\"}|invalid-pattern|pattern is required.",
			"empty pattern|{\"username\":\"octocat\",\"pattern\":\"\"}|invalid-pattern|pattern must not be empty.",
			"unbalanced pattern|{\"username\":\"octocat\",\"pattern\":\"(a\"}|invalid-pattern|",
			"backreference|{\"username\":\"octocat\",\"pattern\":\"(a)\\\\1\"}|invalid-pattern|",
			"malformed json|{\"username\":|invalid-request|The request body is not valid JSON of the expected shape.",
			"json array|[1,2]|invalid-request|The request body is not valid JSON of the expected shape.",
			"webhook not an object|{\"username\":\"octocat\",\"pattern\":\"x\",\"webhook\":\"https://e.com\"}|invalid-webhook|webhook must be an object with a url and, optionally, a secret." })
	void badInputIsA400ProblemAndCreatesNothing(String what, String body, String type, String detail) throws Exception {
		long jobs = count("jobs");
		long outbox = count("outbox");
		HttpResponse<String> response = post("/jobs", "application/json", body);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((ct) -> assertThat(ct).startsWith("application/problem+json"));
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.path("type").asString()).isEqualTo("https://gistgrep.dev/problems/" + type);
		assertThat(problem.path("status").asInt()).isEqualTo(400);
		assertThat(problem.path("title").asString()).isNotBlank();
		if (detail != null) {
			assertThat(problem.path("detail").asString()).isEqualTo(detail);
		}
		else {
			assertThat(problem.path("detail").asString()).isNotBlank();
		}
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.gistgrep");
		assertThat(count("jobs")).isEqualTo(jobs);
		assertThat(count("outbox")).isEqualTo(outbox);
	}

	@Test
	void aBodyThatIsNotJsonIsA415Problem() throws Exception {
		HttpResponse<String> response = post("/jobs", "text/plain", "username=octocat");
		assertThat(response.statusCode()).isEqualTo(415);
		assertThat(this.json.readTree(response.body()).path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/unsupported-media-type");
	}

	@ParameterizedTest
	@CsvSource({ "/jobs/00000000-0000-0000-0000-000000000000", "/jobs/not-a-uuid",
			"/jobs/00000000-0000-0000-0000-000000000000/matches" })
	void anUnknownJobIsA404Problem(String path) throws Exception {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((ct) -> assertThat(ct).startsWith("application/problem+json"));
		assertThat(this.json.readTree(response.body()).path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/job-not-found");
	}

	@ParameterizedTest
	@CsvSource({ "limit=0,invalid-limit", "limit=1001,invalid-limit", "limit=ten,invalid-limit",
			"cursor=%%%,invalid-cursor", "cursor=Zm9v,invalid-cursor" })
	void aBadLimitOrCursorIsA400Problem(String query, String type) throws Exception {
		HttpResponse<String> created = post("/jobs", "application/json",
				"{\"username\":\"octocat\",\"pattern\":\"x\"}");
		String id = this.json.readTree(created.body()).path("id").asString();
		HttpResponse<String> response = get("/jobs/" + id + "/matches?" + query.replace("%%%", "%25%25"));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(response.body()).path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/" + type);
	}

	@Test
	void aJobWithoutMatchesHasAnEmptyLastPage() throws Exception {
		HttpResponse<String> created = post("/jobs", "application/json",
				"{\"username\":\"octocat\",\"pattern\":\"x\"}");
		String id = this.json.readTree(created.body()).path("id").asString();
		HttpResponse<String> response = get("/jobs/" + id + "/matches");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode page = this.json.readTree(response.body());
		assertThat(page.path("data").isArray()).isTrue();
		assertThat(page.path("data")).isEmpty();
		assertThat(page.path("next_cursor").isNull()).isTrue();
		assertThat(response.headers().firstValue("Link")).isEmpty();
	}

	@Test
	void theOpenApiDescriptionListsTheEndpoints() throws Exception {
		HttpResponse<String> response = get("/v3/api-docs");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode paths = this.json.readTree(response.body()).path("paths");
		assertThat(paths.has("/jobs")).isTrue();
		assertThat(paths.has("/jobs/{id}/matches")).isTrue();
		assertThat(paths.has("/api/v1/search")).isTrue();
		assertThat(get("/swagger-ui.html").statusCode()).isIn(200, 302);
	}

	private long count(String table) {
		return this.jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
	}

	private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Authorization", BEARER)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", BEARER).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
