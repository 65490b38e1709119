package io.gistgrep.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the simulator, as a GitHub client would use it.
 */
final class SimClient implements AutoCloseable {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Pattern LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"([a-z]+)\"");

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	/**
	 * GETs a URL with headers given as name, value, name, value...
	 */
	HttpResponse<byte[]> get(String url, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Accept", "application/vnd.github+json");
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (Exception ex) {
			throw new IllegalStateException("GET " + url + " failed", ex);
		}
	}

	/**
	 * POSTs an empty body, as the control endpoints expect.
	 */
	HttpResponse<byte[]> post(String url) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (Exception ex) {
			throw new IllegalStateException("POST " + url + " failed", ex);
		}
	}

	static JsonNode json(HttpResponse<byte[]> response) {
		return MAPPER.readTree(response.body());
	}

	static String text(HttpResponse<byte[]> response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

	static String header(HttpResponse<?> response, String name) {
		return response.headers()
			.firstValue(name)
			.orElseThrow(() -> new AssertionError("No " + name + " header in " + response.headers().map()));
	}

	static int intHeader(HttpResponse<?> response, String name) {
		return Integer.parseInt(header(response, name));
	}

	/**
	 * The {@code link} header as a map from rel to URL, empty if there is none.
	 */
	static Map<String, String> links(HttpResponse<?> response) {
		Map<String, String> links = new LinkedHashMap<>();
		response.headers().firstValue("link").ifPresent((header) -> {
			Matcher matcher = LINK.matcher(header);
			while (matcher.find()) {
				links.put(matcher.group(2), matcher.group(1));
			}
		});
		return links;
	}

	@Override
	public void close() {
		this.http.close();
	}

}
