package io.gistgrep.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.standardwebhooks.Webhook;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A job's end, told to its webhook, signed, and retried. */
class WebhookTests {

	private final Stack stack = Stack.get();

	@Test
	void aFailedFirstAttemptIsRetriedWithTheSameIdAndEverySignatureVerifies() throws Exception {
		String login = "hooked-" + UUID.randomUUID().toString().substring(0, 8);
		this.stack.sim.addUser(SyntheticUsers.generate(login, 5, 3));
		try (WebhookReceiver receiver = new WebhookReceiver((n) -> (n == 1) ? 500 : 204)) {
			Stack.Response created = this.stack.post("/jobs", "{\"username\":\"" + login
					+ "\",\"pattern\":\"TODO\",\"webhook\":{\"url\":\"" + receiver.url() + "\"}}");
			assertThat(created.status()).isEqualTo(202);
			String secret = created.json().path("webhook").path("secret").asString();
			assertThat(secret).startsWith("whsec_");
			String id = created.json().path("id").asString();
			assertThat(this.stack.get("/jobs/" + id).json().path("webhook").has("secret"))
				.as("the secret is shown once")
				.isFalse();

			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received.size() >= 2);

			Webhook verifier = new Webhook(secret);
			for (WebhookReceiver.Received request : receiver.received) {
				verifier.verify(request.body(), request.headers());
				JsonNode event = this.stack.json.readTree(request.body());
				assertThat(event.path("type").asString()).isEqualTo("job.succeeded");
				assertThat(event.path("data").path("id").asString()).isEqualTo(id);
				assertThat(event.path("data").path("status").asString()).isEqualTo("succeeded");
				assertThat(event.path("data").path("progress").path("gists_total").asInt()).isEqualTo(5);
				assertThat(event.path("data").path("webhook").has("secret")).isFalse();
			}
			assertThat(receiver.received).extracting((r) -> r.header("webhook-id"))
				.containsOnly(receiver.received.getFirst().header("webhook-id"));
			assertThat(receiver.received.get(1).body()).as("a retry sends the same body")
				.isEqualTo(receiver.received.get(0).body());

			JsonNode deliveries = await().atMost(Duration.ofSeconds(10))
				.until(() -> this.stack.get("/jobs/" + id + "/webhook-deliveries").json().path("data"),
						(d) -> d.size() == 1 && "delivered".equals(d.get(0).path("status").asString()));
			JsonNode delivery = deliveries.get(0);
			assertThat(delivery.path("webhook_id").asString())
				.isEqualTo(receiver.received.getFirst().header("webhook-id"));
			assertThat(delivery.path("event_type").asString()).isEqualTo("job.succeeded");
			assertThat(delivery.path("attempts")).hasSize(2);
			assertThat(delivery.path("attempts").get(0).path("status_code").asInt()).isEqualTo(500);
			assertThat(delivery.path("attempts").get(0).path("error").asString()).isNotBlank();
			assertThat(delivery.path("attempts").get(1).path("status_code").asInt()).isEqualTo(204);
			assertThat(delivery.path("attempts").get(1).path("error").isNull()).isTrue();
		}
	}

	@Test
	void a410StopsTheRetriesAndASuppliedSecretSigns() throws Exception {
		String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
		try (WebhookReceiver receiver = new WebhookReceiver((n) -> 410)) {
			Stack.Response created = this.stack.post("/jobs",
					this.stack.json
						.writeValueAsString(Map.of("username", "nobody-" + UUID.randomUUID().toString().substring(0, 8),
								"pattern", "x", "webhook", Map.of("url", receiver.url(), "secret", secret))));
			assertThat(created.status()).isEqualTo(202);
			assertThat(created.json().path("webhook").path("secret").asString()).isEqualTo(secret);
			String id = created.json().path("id").asString();
			JsonNode delivery = await().atMost(Duration.ofSeconds(30))
				.until(() -> this.stack.get("/jobs/" + id + "/webhook-deliveries").json().path("data"),
						(d) -> d.size() == 1 && "gone".equals(d.get(0).path("status").asString()))
				.get(0);
			assertThat(delivery.path("event_type").asString()).isEqualTo("job.failed");
			assertThat(delivery.path("attempts")).hasSize(1);
			new Webhook(secret).verify(receiver.received.getFirst().body(), receiver.received.getFirst().headers());
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(5))
				.until(() -> receiver.received.size() == 1);
		}
	}

	@Test
	void aCancelledJobIsToldAsCancelled() throws Exception {
		try (WebhookReceiver receiver = new WebhookReceiver((n) -> 200)) {
			String login = "slow-" + UUID.randomUUID().toString().substring(0, 8);
			this.stack.sim.addUser(SyntheticUsers.generate(login, 400, 5));
			Stack.Response created = this.stack.post("/jobs", "{\"username\":\"" + login
					+ "\",\"pattern\":\"TODO\",\"webhook\":{\"url\":\"" + receiver.url() + "\"}}");
			String id = created.json().path("id").asString();
			Stack.Response cancelled = this.stack.post("/jobs/" + id + "/cancel", "");
			assertThat(cancelled.status()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received.isEmpty());
			JsonNode event = this.stack.json.readTree(receiver.received.getFirst().body());
			assertThat(event.path("type").asString()).isEqualTo("job.cancelled");
			assertThat(event.path("data").path("status").asString()).isEqualTo("cancelled");
			assertThat(List.of(receiver.received.size())).containsExactly(1);
		}
	}

}
