package io.gistgrep.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The logs as an operator's collector reads them: the api and the worker as processes,
 * with {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs} as in the images, one JSON document
 * per line, and every line about a job naming it ({@code job_id}) and its tenant, from
 * the submission to the webhook.
 */
class JsonLogsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void everyLineIsJsonAndTheLinesOfAJobNameItAndItsTenantInBothApps() throws Exception {
		String apiKey = "ggk_logs" + UUID.randomUUID().toString().replace("-", "") + "0".repeat(8);
		String githubToken = "ghp_logs" + UUID.randomUUID().toString().replace("-", "");
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		String webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(secret);
		Map<String, String> services = TestServices.get().isolated("jsonlogs");
		Map<String, String> both = new LinkedHashMap<>(services);
		both.put("logging.structured.format.console", "ecs");
		both.put("gistgrep.webhooks.allow-private", "true");
		both.put("gistgrep.outbox.poll-interval", "200ms");
		try (GitHubSim sim = GitHubSim.start(SimOptions.defaults());
				WebhookReceiver receiver = new WebhookReceiver((n) -> 204)) {
			SimUser user = sim
				.addUser(SyntheticUsers.generate("logs-" + UUID.randomUUID().toString().substring(0, 8), 12, 4));
			Map<String, String> api = new LinkedHashMap<>(both);
			api.put("gistgrep.bootstrap-api-keys", "logs:" + apiKey);
			Map<String, String> worker = new LinkedHashMap<>(both);
			worker.put("gistgrep.github.api-url", sim.apiUrl());
			worker.put("gistgrep.github.raw-hosts", sim.rawHost());
			worker.put("gistgrep.github.git-hosts", sim.gitHost());
			worker.put("gistgrep.github.tokens", githubToken);
			try (WorkerProcess apiProcess = WorkerProcess.startApi("jsonlogs-api", api);
					WorkerProcess workerProcess = WorkerProcess.start("jsonlogs-worker", worker)) {
				apiProcess.awaitReady();
				workerProcess.awaitReady();
				ApiCalls calls = new ApiCalls("http://127.0.0.1:" + apiProcess.port(), apiKey);
				Stack.Response submitted = calls.post("/jobs", JSON.writeValueAsString(Map.of("username", user.login(),
						"pattern", "TODO", "webhook", Map.of("url", receiver.url(), "secret", webhookSecret))));
				assertThat(submitted.status()).isEqualTo(202);
				String id = submitted.json().path("id").asString();
				await().atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> calls.json("/jobs/" + id).path("status").asString().equals("succeeded"));
				await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received.size() == 1);
				// The last lines (the job's end, the webhook) are written after what the
				// test saw.
				await().atMost(Duration.ofSeconds(10))
					.until(() -> messages(workerProcess, id).stream().anyMatch((m) -> m.contains("delivered")));

				List<String> apiLines = messages(apiProcess, id);
				List<String> workerLines = messages(workerProcess, id);
				assertThat(apiLines).anyMatch((message) -> message.contains("submitted"));
				assertThat(workerLines).anyMatch((message) -> message.contains("started"))
					.anyMatch((message) -> message.contains("listed the gists of " + user.login()))
					.anyMatch((message) -> message.contains("succeeded"))
					.anyMatch((message) -> message.contains("delivered on attempt 1"));
				for (WorkerProcess app : List.of(apiProcess, workerProcess)) {
					assertThat(Files.readString(app.log)).doesNotContain(apiKey)
						.doesNotContain(githubToken)
						.doesNotContain(webhookSecret)
						.doesNotContain(services.get("gistgrep.secrets.key"));
				}
			}
		}
	}

	/**
	 * The messages of the app's log lines about the job, after checking that every line
	 * from the app's logging is a JSON document with the ECS fields, and that each line
	 * naming the job names its tenant too.
	 */
	private static List<String> messages(WorkerProcess app, String jobId) {
		List<String> lines;
		try {
			lines = Files.readAllLines(app.log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<JsonNode> documents = lines.stream()
			// The JVM's own warnings (native access, Unsafe) go to stderr, merged here.
			.filter((line) -> !line.startsWith("WARNING:") && !line.isBlank())
			.map((line) -> {
				assertThat(line).as("a log line of %s", app.name).startsWith("{");
				return JSON.readTree(line);
			})
			.toList();
		assertThat(documents).as("%s logged", app.name).isNotEmpty();
		for (JsonNode document : documents) {
			assertThat(document.has("@timestamp") && document.has("message")).as(document.toString()).isTrue();
		}
		List<JsonNode> aboutJob = documents.stream()
			.filter((document) -> document.path("job_id").asString("").equals(jobId))
			.toList();
		for (JsonNode document : aboutJob) {
			assertThat(document.path("tenant").asString("")).as(document.toString()).isEqualTo("logs");
		}
		return aboutJob.stream().map((document) -> document.path("message").asString()).toList();
	}

}
