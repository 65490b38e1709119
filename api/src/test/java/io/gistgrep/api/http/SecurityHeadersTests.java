package io.gistgrep.api.http;

import java.util.List;
import java.util.UUID;

import io.gistgrep.api.RunningApi;
import io.gistgrep.api.http.Wire.Answer;
import io.gistgrep.api.http.Wire.Request;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security headers on every kind of answer of the running api, and no CORS by
 * default.
 */
class SecurityHeadersTests extends RunningApi {

	@Test
	void everyAnswerCarriesTheSecurityHeadersErrorsIncluded() {
		Wire wire = new Wire(this.port);
		List<Request> requests = List.of(Request.get("/ping"), Request.get("/jobs"),
				Request.get("/jobs/" + UUID.randomUUID()), Request.get("/jobs/" + UUID.randomUUID() + "/matches"),
				Request.get("/jobs?limit=-1"), Request.get("/jobs?cursor=%ff"),
				Request.post("/jobs", "application/json", "{}"), Request.post("/api/v1/search", "text/plain", "x"),
				Request.post("/jobs", "application/json", "x".repeat(20_000)), Request.get("/nowhere"),
				Request.get("/v3/api-docs"));
		for (Request request : requests) {
			Answer answer = wire.send(request);
			assertThat(answer.header("X-Content-Type-Options")).as(request.toString()).hasValue("nosniff");
			assertThat(answer.header("Referrer-Policy")).as(request.toString()).hasValue("no-referrer");
			assertThat(answer.header("X-Frame-Options")).as(request.toString()).hasValue("DENY");
			assertThat(answer.header("Cache-Control")).as(request.toString()).hasValue("no-store");
		}
	}

	@Test
	void withNoOriginsConfiguredThereAreNoCorsHeaders() {
		Wire wire = new Wire(this.port);
		Answer get = wire.send(Request.get("/jobs").with("Origin", "https://evil.example"));
		Answer preflight = wire.send(new Request("OPTIONS", "/jobs",
				java.util.Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"), null,
				false));
		for (Answer answer : List.of(get, preflight)) {
			assertThat(answer.headers().keySet()).noneMatch((name) -> name.startsWith("access-control-"));
		}
	}

}
