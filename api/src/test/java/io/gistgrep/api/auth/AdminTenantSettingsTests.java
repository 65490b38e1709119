package io.gistgrep.api.auth;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.RunningApi;
import io.gistgrep.db.analytics.TenantSettingsRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /admin/tenants/{tenant}/settings}, guarded by the admin token; what the setting
 * does to the analytics is in {@code io.gistgrep.api.retention.AnalyticsTests}.
 */
class AdminTenantSettingsTests extends RunningApi {

	private static final String ADMIN = "Bearer " + ADMIN_TOKEN;

	@Autowired
	TenantSettingsRepository settings;

	@Autowired
	JdbcClient jdbc;

	@ParameterizedTest
	@ValueSource(strings = { "Bearer wrong", "Bearer " + API_KEY })
	void aWrongAdminTokenIsA401AndChangesNothing(String authorization) {
		String tenant = tenant();
		HttpResponse<String> response = Http.send(this.port, "PUT", path(tenant), authorization,
				Http.write(Map.of("analytics_pattern_text", true)));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(Http.json(response).path("type").asString()).isEqualTo("https://gistgrep.dev/problems/unauthorized");
		assertThat(this.settings.find(tenant).analyticsPatternText()).isFalse();
		assertThat(Http.send(this.port, "GET", path(tenant), authorization, null).statusCode()).isEqualTo(401);
	}

	@Test
	void noAdminTokenIsA401AndChangesNothing() {
		String tenant = tenant();
		HttpResponse<String> response = Http.send(this.port, "PUT", path(tenant), null,
				Http.write(Map.of("analytics_pattern_text", true)));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gistgrep\"");
		assertThat(this.settings.find(tenant).analyticsPatternText()).isFalse();
	}

	@Test
	void aTenantNeverSetKeepsPatternHashesOnly() {
		HttpResponse<String> response = Http.send(this.port, "GET", path(tenant()), ADMIN, null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = Http.json(response);
		assertThat(body.path("analytics_pattern_text").isBoolean()).isTrue();
		assertThat(body.path("analytics_pattern_text").booleanValue()).isFalse();
		assertThat(body.path("updated_at").isNull()).isTrue();
	}

	@Test
	void theSettingIsSetReadAndTurnedOffAgainWhichForgetsTheTextsKept() {
		String tenant = tenant();
		HttpResponse<String> on = Http.send(this.port, "PUT", path(tenant), ADMIN,
				Http.write(Map.of("analytics_pattern_text", true)));
		assertThat(on.statusCode()).isEqualTo(200);
		assertThat(Http.json(on).path("tenant").asString()).isEqualTo(tenant);
		assertThat(Http.json(on).path("analytics_pattern_text").booleanValue()).isTrue();
		assertThat(Http.json(Http.send(this.port, "GET", path(tenant), ADMIN, null))
			.path("analytics_pattern_text")
			.booleanValue()).isTrue();
		assertThat(Http.json(Http.send(this.port, "GET", path(tenant), ADMIN, null)).path("updated_at").isNull())
			.isFalse();
		assertThat(this.settings.find(tenant).analyticsPatternText()).isTrue();
		assertThat(this.settings.find(tenant()).analyticsPatternText()).as("other tenants keep the default").isFalse();
		this.jdbc.sql("INSERT INTO analytics_pattern_texts (tenant, pattern_sha256, pattern) VALUES (:t, 'h', 'p')")
			.param("t", tenant)
			.update();

		HttpResponse<String> off = Http.send(this.port, "PUT", path(tenant), ADMIN,
				Http.write(Map.of("analytics_pattern_text", false)));

		assertThat(off.statusCode()).isEqualTo(200);
		assertThat(Http.json(off).path("analytics_pattern_text").booleanValue()).isFalse();
		assertThat(this.settings.find(tenant).analyticsPatternText()).isFalse();
		assertThat(this.jdbc.sql("SELECT count(*) FROM analytics_pattern_texts WHERE tenant = :t")
			.param("t", tenant)
			.query(Long.class)
			.single()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "not json", "[]", "{}", "true", "{\"analytics_pattern_text\": \"yes\"}",
			"{\"analytics_pattern_text\": 1}", "{\"analytics_pattern_text\": null}",
			"{\"analytics_pattern_text\": true, \"other\": 1}" })
	void aBadSettingsBodyIsA400ProblemAndChangesNothing(String body) {
		String tenant = tenant();
		HttpResponse<String> response = Http.send(this.port, "PUT", path(tenant), ADMIN, body);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(Http.json(response).path("detail").asString()).isNotBlank();
		assertThat(this.settings.find(tenant).updatedAt()).isNull();
	}

	@Test
	void anInvalidTenantNameIsA400Problem() {
		for (String method : new String[] { "GET", "PUT" }) {
			HttpResponse<String> response = Http.send(this.port, method, path("-bad%20name"), ADMIN,
					method.equals("PUT") ? Http.write(Map.of("analytics_pattern_text", true)) : null);
			assertThat(response.statusCode()).as(method).isEqualTo(400);
			assertThat(Http.json(response).path("type").asString())
				.isEqualTo("https://gistgrep.dev/problems/invalid-tenant-settings");
		}
	}

	private static String path(String tenant) {
		return "/admin/tenants/" + tenant + "/settings";
	}

	private static String tenant() {
		return "s-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
