package io.gistgrep.api.job;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.gistgrep.api.RunningApi;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for the api under test; every request carries
 * {@link RunningApi#API_KEY} unless it sets its own {@code Authorization}.
 */
final class ApiClient {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private final int port;

	ApiClient(int port) {
		this.port = port;
	}

	HttpResponse<String> post(String path, String body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		authorize(request, headers);
		return send(request.build());
	}

	HttpResponse<String> post(String path, String body) {
		return post(path, body, Map.of());
	}

	HttpResponse<String> get(String path, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
		authorize(request, headers);
		return send(request.build());
	}

	HttpResponse<String> get(String path) {
		return get(path, Map.of());
	}

	JsonNode json(HttpResponse<String> response) {
		return this.json.readTree(response.body());
	}

	JsonNode json(String body) {
		return this.json.readTree(body);
	}

	String write(Object value) {
		return this.json.writeValueAsString(value);
	}

	private static void authorize(HttpRequest.Builder request, Map<String, String> headers) {
		headers.forEach(request::header);
		if (!headers.containsKey("Authorization")) {
			request.header("Authorization", RunningApi.BEARER);
		}
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
