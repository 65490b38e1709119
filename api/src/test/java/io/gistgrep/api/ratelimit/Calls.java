package io.gistgrep.api.ratelimit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests to an api instance, and what the rate limit tests read of the answers. */
final class Calls {

	static final String ADMIN_TOKEN = "admin-token-for-rate-limit-tests";

	static final String JOB = "{\"username\":\"octocat\",\"pattern\":\"x\"}";

	static final String RATE_LIMITED = "https://gistgrep.dev/problems/rate-limited";

	private static final Pattern REMAINING = Pattern.compile("\"(\\w+)\";r=(\\d+);t=(\\d+)");

	private static final HttpClient CLIENT = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Calls() {
	}

	/** {@code key} is an API key, or null for none. */
	static HttpResponse<String> send(int port, String method, String path, @Nullable String key,
			@Nullable String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		try {
			return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static HttpResponse<String> submit(int port, String key) {
		return send(port, "POST", "/jobs", key, JOB);
	}

	static HttpResponse<String> list(int port, String key) {
		return send(port, "GET", "/jobs", key, null);
	}

	/** A new tenant's key, made through the admin endpoint: a bucket no test used yet. */
	static String newTenantKey(int port) {
		String tenant = "rl-" + UUID.randomUUID().toString().substring(0, 8);
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/api-keys"))
			.header("Authorization", "Bearer " + ADMIN_TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("tenant", tenant))))
			.build();
		try {
			HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(201);
			return json(response).path("key").asString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	/** The {@code RateLimit} header's remaining quota; fails when it is absent. */
	static long remaining(HttpResponse<String> response) {
		return Long.parseLong(rateLimit(response).group(2));
	}

	/** The {@code RateLimit} header's seconds until the quota is restored. */
	static long reset(HttpResponse<String> response) {
		return Long.parseLong(rateLimit(response).group(3));
	}

	private static Matcher rateLimit(HttpResponse<String> response) {
		String header = response.headers().firstValue("RateLimit").orElseThrow();
		Matcher matcher = REMAINING.matcher(header);
		assertThat(matcher.matches()).as(header).isTrue();
		return matcher;
	}

	/** Asserts a 429 rate-limited problem with a {@code Retry-After} of 1 to 60 s. */
	static void assertRateLimited(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json(response);
		assertThat(problem.path("type").asString()).isEqualTo(RATE_LIMITED);
		assertThat(problem.path("status").asInt()).isEqualTo(429);
		assertThat(problem.path("detail").asString()).contains("a minute").contains("Retry after");
		assertThat(response.headers().firstValue("Retry-After"))
			.hasValueSatisfying((value) -> assertThat(Long.parseLong(value)).isBetween(1L, 60L));
		assertThat(remaining(response)).isZero();
	}

}
