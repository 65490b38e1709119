package io.gistgrep.api.auth;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.RunningApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /admin/api-keys}, guarded by the admin token (its being off without one is in
 * {@link ApiKeyTests}, on an instance without a token).
 */
class AdminApiKeyTests extends RunningApi {

	private static final String ADMIN = "Bearer " + ADMIN_TOKEN;

	@ParameterizedTest
	@ValueSource(strings = { "Bearer wrong", "Bearer " + API_KEY, "Basic YWRtaW46YWRtaW4=" })
	void aWrongAdminTokenIsA401(String authorization) {
		HttpResponse<String> response = Http.send(this.port, "GET", "/admin/api-keys", authorization, null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValue("Bearer realm=\"gistgrep\", error=\"invalid_token\"");
		assertThat(Http.json(response).path("type").asString()).isEqualTo("https://gistgrep.dev/problems/unauthorized");
	}

	@Test
	void noAdminTokenIsA401AndCreatesNothing() {
		HttpResponse<String> response = Http.send(this.port, "POST", "/admin/api-keys", null,
				Http.write(Map.of("tenant", "sneaky")));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gistgrep\"");
		assertThat(Http.send(this.port, "GET", "/admin/api-keys", ADMIN, null).body()).doesNotContain("sneaky");
	}

	@Test
	void aKeyIsCreatedShownOnceListedByItsPrefixAndRevoked() {
		String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<String> created = Http.send(this.port, "POST", "/admin/api-keys", ADMIN,
				Http.write(Map.of("tenant", tenant, "name", "ci")));
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode body = Http.json(created);
		String key = body.path("key").asString();
		String id = body.path("id").asString();
		assertThat(key).matches("ggk_[A-Za-z0-9_-]{43}");
		assertThat(body.path("prefix").asString()).isEqualTo(key.substring(0, 10));
		assertThat(created.headers().firstValue("Location")).hasValue("/admin/api-keys/" + id);

		HttpResponse<String> submitted = Http.send(this.port, "POST", "/jobs", "Bearer " + key,
				Http.write(Map.of("username", "octocat", "pattern", "x")));
		assertThat(submitted.statusCode()).isEqualTo(202);
		HttpResponse<String> list = Http.send(this.port, "GET", "/jobs", "Bearer " + key, null);
		assertThat(Http.json(list).path("data")).as("a new tenant sees its own job only").hasSize(1);

		HttpResponse<String> listed = Http.send(this.port, "GET", "/admin/api-keys", ADMIN, null);
		assertThat(listed.statusCode()).isEqualTo(200);
		assertThat(listed.body()).doesNotContain(key.substring(10)).doesNotContainIgnoringCase("hash");
		JsonNode entry = null;
		for (JsonNode each : Http.json(listed).path("data")) {
			if (each.path("id").asString().equals(id)) {
				entry = each;
			}
		}
		assertThat(entry).isNotNull();
		assertThat(entry.path("tenant").asString()).isEqualTo(tenant);
		assertThat(entry.path("name").asString()).isEqualTo("ci");
		assertThat(entry.path("prefix").asString()).isEqualTo(key.substring(0, 10));
		assertThat(entry.path("revoked_at").isNull()).isTrue();
		assertThat(entry.has("key")).isFalse();

		assertThat(Http.send(this.port, "DELETE", "/admin/api-keys/" + id, ADMIN, null).statusCode()).isEqualTo(204);
		assertThat(Http.send(this.port, "DELETE", "/admin/api-keys/" + id, ADMIN, null).statusCode())
			.as("revoking again is harmless")
			.isEqualTo(204);
		JsonNode after = Http.json(Http.send(this.port, "GET", "/admin/api-keys", ADMIN, null));
		for (JsonNode each : after.path("data")) {
			if (each.path("id").asString().equals(id)) {
				assertThat(each.path("revoked_at").isNull()).isFalse();
			}
		}
	}

	@Test
	void revokingAnUnknownKeyIsA404() {
		assertThat(Http.send(this.port, "DELETE", "/admin/api-keys/" + UUID.randomUUID(), ADMIN, null).statusCode())
			.isEqualTo(404);
		assertThat(Http.send(this.port, "DELETE", "/admin/api-keys/not-a-uuid", ADMIN, null).statusCode())
			.isEqualTo(404);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"tenant\": 5}", "{\"tenant\": \"\"}", "{\"tenant\": \"a b\"}",
			"{\"tenant\": \"ok\", \"name\": 5}", "[]", "{\"tenant\": \"anonymous\"}" })
	void aBadCreateRequestIsA400AndCreatesNothing(String body) {
		int before = Http.json(Http.send(this.port, "GET", "/admin/api-keys", ADMIN, null)).path("data").size();
		HttpResponse<String> response = Http.send(this.port, "POST", "/admin/api-keys", ADMIN, body);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(Http.json(response).path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/invalid-api-key-request");
		assertThat(Http.json(Http.send(this.port, "GET", "/admin/api-keys", ADMIN, null)).path("data").size())
			.isEqualTo(before);
	}

}
