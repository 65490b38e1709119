package io.gistgrep.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison messages, on a stack of its own ({@link TestServices#isolated}): each is
 * dead-lettered without holding up the queue behind it, stored by the worker, listed and
 * re-driven through {@code /admin/dead-letters}, and counted by the gauge and the health
 * group {@code dead-letters}.
 */
class DeadLetterTests {

	private static final String TENANT = "deadletters";

	private static final String KEY = "ggk_deadletters" + "0".repeat(36);

	private static final String ADMIN = "adm_deadletters-admin-token";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static GitHubSim sim;

	private static ConfigurableApplicationContext api;

	private static ConfigurableApplicationContext worker;

	private static ApiCalls calls;

	private static ApiCalls admin;

	@BeforeAll
	static void start() {
		Map<String, String> services = TestServices.get().isolated("deadletters");
		sim = GitHubSim.start(SimOptions.defaults());
		api = new SpringApplicationBuilder(ApiApplication.class)
			.run(Stack.args(services, "--server.port=0", "--management.server.port=0",
					"--spring.application.name=deadletters-api", "--gistgrep.outbox.poll-interval=200ms",
					"--gistgrep.bootstrap-api-keys=" + TENANT + ":" + KEY, "--gistgrep.admin-token=" + ADMIN));
		worker = new SpringApplicationBuilder(WorkerApplication.class)
			.run(Stack.args(services, "--server.port=0", "--management.server.port=0",
					"--spring.application.name=deadletters-worker", "--gistgrep.github.api-url=" + sim.apiUrl(),
					"--gistgrep.github.raw-hosts=" + sim.rawHost(), "--gistgrep.github.git-hosts=" + sim.gitHost(),
					"--gistgrep.github.tokens=deadletters-token", "--gistgrep.outbox.poll-interval=200ms"));
		String base = "http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort();
		calls = new ApiCalls(base, KEY);
		admin = new ApiCalls(base, ADMIN);
	}

	@AfterAll
	static void stop() {
		if (worker != null) {
			worker.close();
		}
		if (api != null) {
			api.close();
		}
		if (sim != null) {
			sim.close();
		}
	}

	@Test
	void aStartThatCouldNotBeReadIsListedAndOnceRedrivenRunsTheJobExact() {
		SimUser user = sim.addUser(SyntheticUsers.generate("dl-start-" + suffix(), 30, 12));
		UUID stuck = UUID.randomUUID();
		api.getBean(JobRepository.class).insert(Job.queued(stuck, TENANT, user.login(), "TODO", null, Instant.now()));
		// A producer that forgot the content type: the body is right, but no converter
		// reads it as JSON.
		publish(Queues.START_JOB, "text/plain", JSON.writeValueAsString(new StartJob(stuck)));
		String behind = calls.submit(user.login(), "TODO");

		JsonNode good = finished(behind);
		JsonNode letter = await().atMost(Duration.ofSeconds(30))
			.until(() -> letters(Queues.START_JOB), (found) -> found.size() == 1)
			.getFirst();

		assertThat(good.path("status").asString()).as("the job started behind the poison").isEqualTo("succeeded");
		assertThat(calls.json("/jobs/" + stuck).path("status").asString()).isEqualTo("queued");
		assertThat(letter.path("queue").asString()).isEqualTo(Queues.START_JOB);
		assertThat(letter.path("reason").asString()).isEqualTo("rejected");
		assertThat(letter.path("count").asInt()).isEqualTo(1);
		assertThat(letter.path("payload").asString()).contains(stuck.toString());
		assertThat(letter.path("content_type").asString()).isEqualTo("text/plain");
		assertThat(letter.path("redriven_at").isNull()).isTrue();
		assertCountsAgree();

		Stack.Response redriven = admin.post("/admin/dead-letters/redrive?queue=" + Queues.START_JOB, "");

		assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
		assertThat(redriven.json().path("redriven").asInt()).isEqualTo(1);
		assertThat(redriven.json().path("remaining").asInt()).isZero();
		JsonNode job = finished(stuck.toString());
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		assertThat(job.path("progress").path("gists_total").asInt()).isEqualTo(30);
		assertThat(job.path("progress").path("gists_matched").asInt())
			.isEqualTo(Stack.expectedMatches(user, Pattern.compile("TODO")).size());
		assertThat(letters(Queues.START_JOB).getFirst().path("redriven_at").isNull()).isFalse();
		assertThat(
				admin.post("/admin/dead-letters/redrive?queue=" + Queues.START_JOB, "").json().path("redriven").asInt())
			.as("a letter is re-driven once")
			.isZero();
		assertCountsAgree();
	}

	@Test
	void aScanThatStaysPoisonIsDeadLetteredAgainAfterARedriveAsANewLetter() {
		String body = "not json " + suffix();
		publish(Queues.SCAN_GIST, "application/json", body);
		await().atMost(Duration.ofSeconds(30)).until(() -> withBody(body).size() == 1);

		Stack.Response redriven = admin.post("/admin/dead-letters/redrive?queue=" + Queues.SCAN_GIST, "");

		assertThat(redriven.json().path("redriven").asInt()).isEqualTo(1);
		List<JsonNode> found = await().atMost(Duration.ofSeconds(30))
			.until(() -> withBody(body), (letters) -> letters.size() == 2);
		assertThat(found.get(0).path("redriven_at").isNull()).as("the first letter, re-driven").isFalse();
		assertThat(found.get(1).path("redriven_at").isNull()).as("the same body, dead again").isTrue();
		assertThat(found.get(1).path("reason").asString()).isEqualTo("rejected");
		assertCountsAgree();
	}

	@Test
	void theListIsPagedAndGuardedAndBadInputIsAProblem() {
		for (int i = 0; i < 3; i++) {
			publish(Queues.DELIVER_WEBHOOK, "application/json", "[" + i + "]");
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> letters(Queues.DELIVER_WEBHOOK).size() == 3);

		Stack.Response first = admin.get("/admin/dead-letters?queue=" + Queues.DELIVER_WEBHOOK + "&limit=2");
		String next = first.json().path("next_cursor").asString();
		Stack.Response second = admin
			.get("/admin/dead-letters?queue=" + Queues.DELIVER_WEBHOOK + "&limit=2&cursor=" + next);

		assertThat(first.json().path("data")).hasSize(2);
		assertThat(first.header("Link")).contains("cursor=" + next).contains("rel=\"next\"");
		assertThat(second.json().path("data")).hasSize(1);
		assertThat(second.json().path("next_cursor").isNull()).isTrue();
		assertThat(second.json().path("data").get(0).path("id").asLong())
			.isGreaterThan(first.json().path("data").get(1).path("id").asLong());
		assertThat(calls.get("/admin/dead-letters").status()).as("an API key is not the admin token").isEqualTo(401);
		Stack.Response badQueue = admin.post("/admin/dead-letters/redrive?queue=gistgrep.nope", "");
		assertThat(badQueue.status()).isEqualTo(400);
		assertThat(badQueue.header("Content-Type")).startsWith("application/problem+json");
		assertThat(badQueue.json().path("type").asString()).isEqualTo("https://gistgrep.dev/problems/invalid-queue");
		assertThat(admin.get("/admin/dead-letters?cursor=nonsense").json().path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/invalid-cursor");
		assertThat(admin.get("/admin/dead-letters?limit=0").status()).isEqualTo(400);
		JsonNode paths = calls.json("/v3/api-docs").path("paths");
		assertThat(paths.path("/admin/dead-letters").path("get").path("security").toString()).contains("adminToken");
		assertThat(paths.path("/admin/dead-letters/redrive").path("post").path("parameters").toString())
			.contains("\"queue\"");
	}

	/**
	 * The gauge and the health detail count what the list shows waiting, once the worker
	 * has counted again (every 10 s at most).
	 */
	private static void assertCountsAgree() {
		MeterRegistry meters = worker.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			long waiting = all().stream().filter((letter) -> letter.path("redriven_at").isNull()).count();
			assertThat(meters.get("gistgrep.dead-letters").gauges().stream().mapToDouble(Gauge::value).sum())
				.isEqualTo(waiting);
			JsonNode health = health();
			assertThat(health.path("status").asString()).isEqualTo("UP");
			assertThat(health.path("components").path("deadLetters").path("details").path("pending").asLong())
				.isEqualTo(waiting);
		});
	}

	private static JsonNode health() throws IOException, InterruptedException {
		String port = worker.getEnvironment().getProperty("local.management.port");
		HttpResponse<String> response = HTTP
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/dead-letters"))
				.build(), HttpResponse.BodyHandlers.ofString());
		return JSON.readTree(response.body());
	}

	private static void publish(String queue, String contentType, String body) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(contentType);
		properties.setMessageId("test-" + suffix());
		api.getBean(RabbitTemplate.class)
			.send(Queues.EXCHANGE, queue,
					MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8)).andProperties(properties).build());
	}

	private static List<JsonNode> letters(String queue) {
		List<JsonNode> found = new ArrayList<>();
		admin.json("/admin/dead-letters?queue=" + queue + "&limit=1000").path("data").forEach(found::add);
		return found;
	}

	private static List<JsonNode> all() {
		List<JsonNode> found = new ArrayList<>();
		admin.json("/admin/dead-letters?limit=1000").path("data").forEach(found::add);
		return found;
	}

	private static List<JsonNode> withBody(String body) {
		return letters(Queues.SCAN_GIST).stream()
			.filter((letter) -> letter.path("payload").asString().equals(body))
			.toList();
	}

	private static JsonNode finished(String id) {
		return await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> calls.json("/jobs/" + id), (job) -> job.path("status").asString().matches("succeeded|failed"));
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
