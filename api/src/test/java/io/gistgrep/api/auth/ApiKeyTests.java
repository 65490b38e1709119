package io.gistgrep.api.auth;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.api.RunningApi;
import io.gistgrep.db.apikey.ApiKeyRepository;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** API keys: who gets in, who does not, and how fast a revocation bites. */
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyTests extends RunningApi {

	private static final String ADMIN = "Bearer " + ADMIN_TOKEN;

	private static final String UNAUTHORIZED = "https://gistgrep.dev/problems/unauthorized";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApiKeyRepository repository;

	@ParameterizedTest
	@CsvSource({ "GET, /jobs", "POST, /jobs", "GET, /jobs/00000000-0000-0000-0000-000000000001",
			"GET, /jobs/00000000-0000-0000-0000-000000000001/matches",
			"GET, /jobs/00000000-0000-0000-0000-000000000001/webhook-deliveries",
			"POST, /jobs/00000000-0000-0000-0000-000000000001/cancel", "POST, /api/v1/search", "GET, /nowhere" })
	void aRequestWithoutAKeyIsA401WithABearerChallengeAndChangesNothing(String method, String path) {
		long jobs = jobs();
		HttpResponse<String> response = Http.send(this.port, method, path, null,
				method.equals("POST") ? "{\"username\":\"octocat\",\"pattern\":\"x\"}" : null);
		assertUnauthorized(response, "Bearer realm=\"gistgrep\"");
		assertThat(Http.json(response).path("detail").asString()).contains("Authorization: Bearer");
		assertThat(jobs()).isEqualTo(jobs);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "Bearer ggk_wrong000000000000000000000000000000000000000", "Bearer not-even-a-key", "Bearer ",
					"Basic dGVzdDp0ZXN0", "bearer ggk_test000000000000000000000000000000000000000X" })
	void aWrongKeyIsA401InvalidToken(String authorization) {
		long jobs = jobs();
		HttpResponse<String> response = Http.send(this.port, "POST", "/jobs", authorization,
				"{\"username\":\"octocat\",\"pattern\":\"x\"}");
		assertUnauthorized(response, "Bearer realm=\"gistgrep\", error=\"invalid_token\"");
		assertThat(jobs()).isEqualTo(jobs);
	}

	@Test
	void theSchemeNameIsCaseInsensitive() {
		assertThat(Http.send(this.port, "GET", "/jobs", "bearer " + API_KEY, null).statusCode()).isEqualTo(200);
	}

	@Test
	void pingAndTheOpenApiDescriptionNeedNoKey() {
		assertThat(Http.send(this.port, "GET", "/ping", null, null).statusCode()).isEqualTo(200);
		assertThat(Http.send(this.port, "GET", "/v3/api-docs", null, null).statusCode()).isEqualTo(200);
		assertThat(Http.send(this.port, "GET", "/v3/api-docs.yaml", null, null).statusCode()).isEqualTo(200);
		assertThat(Http.send(this.port, "GET", "/swagger-ui.html", null, null).statusCode()).isIn(200, 302);
	}

	@Test
	void theOpenApiDescriptionDeclaresTheBearerSchemeOnTheProtectedOperations() {
		JsonNode api = Http.json(Http.send(this.port, "GET", "/v3/api-docs", null, null));
		JsonNode scheme = api.path("components").path("securitySchemes").path("apiKey");
		assertThat(scheme.path("type").asString()).isEqualTo("http");
		assertThat(scheme.path("scheme").asString()).isEqualTo("bearer");
		for (String path : List.of("/jobs", "/jobs/{id}", "/jobs/{id}/matches", "/jobs/{id}/webhook-deliveries")) {
			assertThat(api.path("paths").path(path).path("get").path("security").toString()).as(path)
				.contains("\"apiKey\"");
		}
		assertThat(api.path("paths").path("/jobs").path("post").path("security").toString()).contains("\"apiKey\"");
		assertThat(api.path("paths").path("/jobs/{id}/cancel").path("post").path("security").toString())
			.contains("\"apiKey\"");
		assertThat(api.path("paths").path("/api/v1/search").path("post").path("security").toString())
			.contains("\"apiKey\"");
		assertThat(api.path("paths").path("/ping").path("get").has("security")).isFalse();
		assertThat(api.path("paths").path("/jobs").path("get").path("parameters").toString())
			.as("the tenant is not a parameter")
			.doesNotContainIgnoringCase("tenant");
	}

	@Test
	void aRevokedKeyIsRefusedWithinASecond() {
		JsonNode created = create("revoked-" + UUID.randomUUID().toString().substring(0, 8));
		String bearer = "Bearer " + created.path("key").asString();
		assertThat(Http.send(this.port, "GET", "/jobs", bearer, null).statusCode()).isEqualTo(200);
		assertThat(Http.send(this.port, "DELETE", "/admin/api-keys/" + created.path("id").asString(), ADMIN, null)
			.statusCode()).isEqualTo(204);
		await().atMost(Duration.ofMillis(1500))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertUnauthorized(Http.send(this.port, "GET", "/jobs", bearer, null),
					"Bearer realm=\"gistgrep\", error=\"invalid_token\""));
	}

	@Test
	void aKeyRevokedThroughOneInstanceIsRefusedByAnotherWithinASecondAndNoKeyIsLogged(CapturedOutput output) {
		try (ConfigurableApplicationContext second = startSecondInstance()) {
			int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
			JsonNode created = create("replicas");
			String key = created.path("key").asString();
			assertThat(Http.send(secondPort, "GET", "/jobs", "Bearer " + key, null).statusCode())
				.as("the second instance knows the key (and caches it)")
				.isEqualTo(200);
			assertThat(Http.send(secondPort, "GET", "/jobs", "Bearer " + API_KEY, null).statusCode()).isEqualTo(200);
			assertThat(Http.send(this.port, "DELETE", "/admin/api-keys/" + created.path("id").asString(), ADMIN, null)
				.statusCode()).isEqualTo(204);
			await().atMost(Duration.ofMillis(1500))
				.pollInterval(Duration.ofMillis(50))
				.untilAsserted(
						() -> assertThat(Http.send(secondPort, "GET", "/jobs", "Bearer " + key, null).statusCode())
							.isEqualTo(401));
			HttpResponse<String> admin = Http.send(secondPort, "GET", "/admin/api-keys", ADMIN, null);
			assertThat(admin.statusCode()).as("the admin endpoint is off without GISTGREP_ADMIN_TOKEN").isEqualTo(404);
			assertThat(admin.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(Http.send(secondPort, "POST", "/admin/api-keys", null, "{\"tenant\":\"x\"}").statusCode())
				.isEqualTo(404);
			Http.send(this.port, "GET", "/jobs", "Bearer " + key, null);
			assertThat(output.getAll()).contains("Bootstrap API keys: 2 given, 0 new")
				.doesNotContain(key)
				.doesNotContain(API_KEY)
				.doesNotContain(OTHER_API_KEY)
				.doesNotContain(ADMIN_TOKEN);
		}
	}

	@Test
	void aMalformedBootstrapEntryStopsTheStartWithoutShowingTheKey() {
		String key = "ggk_tooShortToBeAKey";
		assertThatIllegalStateException()
			.isThrownBy(() -> new ApiKeys(this.repository, new AuthProperties(List.of("demo:" + key), null, false)))
			.withMessageContaining("GISTGREP_BOOTSTRAP_API_KEYS: entry 1")
			.withMessageNotContaining(key);
		String noTenant = API_KEY;
		assertThatIllegalStateException().isThrownBy(
				() -> new ApiKeys(this.repository, new AuthProperties(List.of("a:" + API_KEY, noTenant), null, false)))
			.withMessageContaining("entry 2")
			.withMessageNotContaining(noTenant);
	}

	@Test
	void seedingTheSameKeysAgainChangesNothing() {
		long before = count();
		new ApiKeys(this.repository, new AuthProperties(List.of(TENANT + ":" + API_KEY, ""), null, false));
		assertThat(count()).isEqualTo(before);
		assertThat(this.jdbc.sql("SELECT count(*) FROM api_keys WHERE hash = :hash")
			.param("hash", ApiKeys.hash(API_KEY))
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	private JsonNode create(String tenant) {
		HttpResponse<String> response = Http.send(this.port, "POST", "/admin/api-keys", ADMIN,
				Http.write(Map.of("tenant", tenant, "name", "test")));
		assertThat(response.statusCode()).isEqualTo(201);
		return Http.json(response);
	}

	private ConfigurableApplicationContext startSecondInstance() {
		List<String> args = new ArrayList<>();
		TestServices.get().properties().forEach((key, value) -> args.add("--" + key + "=" + value));
		args.addAll(List.of("--server.port=0", "--management.server.port=-1", "--spring.application.name=second-api",
				"--gistgrep.bootstrap-api-keys=" + TENANT + ":" + API_KEY + "," + OTHER_TENANT + ":" + OTHER_API_KEY));
		return new SpringApplicationBuilder(ApiApplication.class).run(args.toArray(String[]::new));
	}

	private static void assertUnauthorized(HttpResponse<String> response, String challenge) {
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(challenge);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(Http.json(response).path("type").asString()).isEqualTo(UNAUTHORIZED);
		assertThat(Http.json(response).path("status").asInt()).isEqualTo(401);
	}

	private long jobs() {
		return this.jdbc.sql("SELECT count(*) FROM jobs").query(Long.class).single();
	}

	private long count() {
		return this.jdbc.sql("SELECT count(*) FROM api_keys").query(Long.class).single();
	}

}
