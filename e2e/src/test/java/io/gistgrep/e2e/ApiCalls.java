package io.gistgrep.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls to one api of the end-to-end tests, with one API key: the shared {@link Stack}'s
 * and those of the tests that start apps of their own.
 */
final class ApiCalls {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String baseUrl;

	private final String key;

	ApiCalls(String baseUrl, String key) {
		this.baseUrl = baseUrl;
		this.key = key;
	}

	Stack.Response post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Authorization", "Bearer " + this.key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	Stack.Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Authorization", "Bearer " + this.key)
			.GET()
			.build());
	}

	/** Submits a search, which must be accepted; the new job's id. */
	String submit(String username, String pattern) {
		Stack.Response response = post("/jobs",
				JSON.writeValueAsString(Map.of("username", username, "pattern", pattern)));
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		return response.json().path("id").asString();
	}

	/** The JSON at {@code path}, which must answer 200. */
	JsonNode json(String path) {
		Stack.Response response = get(path);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	private Stack.Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Stack.Response(response.statusCode(), response.headers().map(), response.body(), JSON);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
