package io.gistgrep.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SyntheticUsers;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The log-leak test: jobs run end to end, with webhooks (a secret the client chose and
 * one the server made), a GitHub token, an API key, an admin token and the key for
 * secrets at rest, on a stack of its own with DEBUG logs for {@code io.gistgrep}. None of
 * those values may appear in the logs, in answers other than the 202 that made a secret,
 * in a webhook's body or in the metrics.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsStaySecretTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void noSecretAppearsInLogsAnswersWebhookBodiesOrMetrics(CapturedOutput output) throws Exception {
		String githubToken = "ghp_" + random(24);
		// An API key is ggk_ and base64url (ApiKeys); webhook secrets are plain base64.
		String apiKey = "ggk_" + random(32).replace('+', '-').replace('/', '_').replace("=", "");
		String adminToken = "adm_" + random(32);
		String chosenSecret = "whsec_" + random(32);
		String rejectedSecret = "whsec_" + random(30) + "!!";
		Map<String, String> services = TestServices.get().isolated("leak");
		String secretsKey = services.get("gistgrep.secrets.key");
		List<ConfigurableApplicationContext> apps = new ArrayList<>();
		try (GitHubSim sim = GitHubSim.start(SimOptions.defaults());
				WebhookReceiver receiver = new WebhookReceiver((n) -> 204)) {
			String login = "leaky-" + UUID.randomUUID().toString().substring(0, 8);
			sim.addUser(SyntheticUsers.generate(login, 5, 3));
			List<String> common = new ArrayList<>();
			services.forEach((key, value) -> common.add("--" + key + "=" + value));
			common.addAll(List.of("--server.port=0", "--management.server.port=0", "--logging.level.io.gistgrep=DEBUG",
					"--gistgrep.webhooks.allow-private=true", "--gistgrep.outbox.poll-interval=200ms",
					// The names of DESIGN.md's GISTGREP_BOOTSTRAP_API_KEYS and
					// GISTGREP_ADMIN_TOKEN.
					"--gistgrep.bootstrap-api-keys=leak:" + apiKey, "--gistgrep.admin-token=" + adminToken));
			ConfigurableApplicationContext api = run(ApiApplication.class, common,
					"--spring.application.name=leak-api");
			apps.add(api);
			apps.add(run(WorkerApplication.class, common, "--spring.application.name=leak-worker",
					"--gistgrep.github.api-url=" + sim.apiUrl(), "--gistgrep.github.raw-hosts=" + sim.rawHost(),
					"--gistgrep.github.git-hosts=" + sim.gitHost(), "--gistgrep.github.tokens=" + githubToken,
					"--gistgrep.webhooks.retry-delays=1s,1s,1s"));
			String base = "http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort();

			List<String> answers = new ArrayList<>();
			HttpResponse<String> chosen = post(base + "/jobs", apiKey, Map.of("username", login, "pattern", "TODO",
					"webhook", Map.of("url", receiver.url(), "secret", chosenSecret)), null);
			HttpResponse<String> made = post(base + "/jobs", apiKey,
					Map.of("username", login, "pattern", "TODO", "webhook", Map.of("url", receiver.url())), "leak-1");
			HttpResponse<String> replayed = post(base + "/jobs", apiKey,
					Map.of("username", login, "pattern", "TODO", "webhook", Map.of("url", receiver.url())), "leak-1");
			HttpResponse<String> rejected = post(base + "/jobs", apiKey, Map.of("username", login, "pattern", "TODO",
					"webhook", Map.of("url", receiver.url(), "secret", rejectedSecret)), null);
			assertThat(chosen.statusCode()).isEqualTo(202);
			assertThat(made.statusCode()).isEqualTo(202);
			assertThat(rejected.statusCode()).isEqualTo(400);
			answers.add(rejected.body());
			String madeSecret = this.json.readTree(made.body()).path("webhook").path("secret").asString();
			assertThat(madeSecret).as("the one answer that shows a secret the server made").startsWith("whsec_");
			assertThat(replayed.body()).as("a replay gives the first answer, decrypted").isEqualTo(made.body());
			List<String> secrets = List.of(githubToken, apiKey, adminToken, chosenSecret, madeSecret,
					chosenSecret.substring(6), madeSecret.substring(6), rejectedSecret.substring(6, 30), secretsKey);

			await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received.size() >= 2);
			assertThat(sim.counters().listRequests()).as("the worker listed with its token").isPositive();
			assertThat(sim.counters().rawRequestsWithAuthorization()).as("tokens never go to raw hosts").isZero();
			receiver.received.forEach((request) -> answers.add(request.body()));
			for (HttpResponse<String> answer : List.of(chosen, made)) {
				String id = this.json.readTree(answer.body()).path("id").asString();
				JsonNode job = await().atMost(Duration.ofSeconds(30))
					.until(() -> this.json.readTree(get(base + "/jobs/" + id, apiKey)),
							(document) -> "succeeded".equals(document.path("status").asString()));
				answers.add(job.toString());
				answers.add(await().atMost(Duration.ofSeconds(30))
					.until(() -> get(base + "/jobs/" + id + "/webhook-deliveries", apiKey),
							(body) -> body.contains("\"delivered\"")));
				answers.add(get(base + "/jobs/" + id + "/matches", apiKey));
			}
			answers.add(get(base + "/jobs", apiKey));
			for (ConfigurableApplicationContext app : apps) {
				answers.add(get("http://127.0.0.1:" + app.getEnvironment().getProperty("local.management.port")
						+ "/actuator/prometheus", null));
			}

			assertThat(output.getOut()).as("DEBUG logs of io.gistgrep were on")
				.contains("DEBUG")
				.contains("Listed page");
			for (String secret : secrets) {
				assertThat(output.getAll()).as("the logs").doesNotContain(secret);
				for (String answer : answers) {
					assertThat(answer).as("an answer, webhook body or metrics").isNotBlank().doesNotContain(secret);
				}
			}
		}
		finally {
			apps.reversed().forEach(ConfigurableApplicationContext::close);
			LoggingSystem.get(getClass().getClassLoader()).setLogLevel("io.gistgrep", null);
		}
	}

	private static ConfigurableApplicationContext run(Class<?> application, List<String> common, String... more) {
		List<String> args = new ArrayList<>(common);
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(application).run(args.toArray(String[]::new));
	}

	private HttpResponse<String> post(String url, String apiKey, Map<String, Object> body, String idempotencyKey)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + apiKey)
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)));
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private String get(String url, String apiKey) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
		if (apiKey != null) {
			request.header("Authorization", "Bearer " + apiKey);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
		return response.body();
	}

	private static String random(int bytes) {
		byte[] value = new byte[bytes];
		new SecureRandom().nextBytes(value);
		return Base64.getEncoder().encodeToString(value);
	}

}
