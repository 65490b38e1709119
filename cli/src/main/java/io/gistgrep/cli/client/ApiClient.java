package io.gistgrep.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api's endpoints, as the client uses them. Error answers become
 * {@link ApiProblem.Failure}; a server that does not answer becomes {@link Unreachable}.
 * A {@code 429} is waited out as its {@code Retry-After} says and the request sent again,
 * unless the caller asked for no retries.
 */
public final class ApiClient {

	/** Enough to ride out a minute's rate limit several times over, not forever. */
	static final int RATE_LIMITED_TRIES = 10;

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private static final String JSON = "application/json";

	private static final String ACCEPT_JSON = "application/json, application/problem+json";

	private static final String NDJSON = "application/x-ndjson";

	private final URI server;

	/** The server's URL without a trailing slash, for paths to be appended to. */
	private final String base;

	private final @Nullable String apiKey;

	private final Settings settings;

	private final HttpClient http;

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * @param server the api's base URL
	 * @param apiKey sent as a bearer token; never printed, not even with {@code --debug}
	 */
	public ApiClient(URI server, @Nullable String apiKey, Settings settings) {
		this.server = server;
		this.base = server.toString().replaceAll("/+$", "");
		this.apiKey = apiKey;
		this.settings = settings;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(CONNECT_TIMEOUT)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * How the client behaves around a request.
	 *
	 * @param retryRateLimited wait out a {@code 429} and send again, else fail at once
	 * @param notices one-line notices for the user ("rate limited, retrying in 3 s")
	 * @param debug where each request and answer is logged, or null
	 * @param pause waits between tries; answers false when the wait was cut short (the
	 * user pressed Ctrl-C), and the client then gives up
	 */
	public record Settings(boolean retryRateLimited, Consumer<String> notices, @Nullable PrintStream debug,
			Pause pause) {

	}

	/** A wait that the user may cut short. */
	@FunctionalInterface
	public interface Pause {

		/** Waits {@code time}; false when cut short. */
		boolean pause(Duration time);

	}

	public URI server() {
		return this.server;
	}

	/**
	 * {@code POST /jobs}: the job as accepted, with the webhook secret if one was made.
	 */
	public JsonNode submit(String username, String pattern, @Nullable String webhookUrl, @Nullable String webhookSecret,
			@Nullable String idempotencyKey) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("username", username);
		body.put("pattern", pattern);
		if (webhookUrl != null) {
			Map<String, String> webhook = new LinkedHashMap<>();
			webhook.put("url", webhookUrl);
			if (webhookSecret != null) {
				webhook.put("secret", webhookSecret);
			}
			body.put("webhook", webhook);
		}
		HttpRequest.Builder request = request("/jobs", ACCEPT_JSON).header("Content-Type", JSON)
			.POST(HttpRequest.BodyPublishers.ofByteArray(this.json.writeValueAsBytes(body)));
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return jobDocument(read(send(request, "POST /jobs")));
	}

	/** {@code GET /jobs/{id}}. */
	public JsonNode job(String id) {
		return poll(id, null).document().orElseThrow();
	}

	/**
	 * {@code GET /jobs/{id}} sent with the tag of the document the caller has: the server
	 * answers {@code 304} and no body while the job has not changed.
	 * @param etag the tag of the last answer, or null for the document whatever it is
	 */
	public Poll poll(String id, @Nullable String etag) {
		HttpRequest.Builder request = request("/jobs/" + segment(id), ACCEPT_JSON).GET();
		if (etag != null) {
			request.header("If-None-Match", etag);
		}
		HttpResponse<InputStream> response = send(request, "GET /jobs/" + id);
		String tag = response.headers().firstValue("ETag").orElse(etag);
		Optional<Duration> retryAfter = retryAfter(response);
		if (response.statusCode() == 304) {
			discard(response);
			return new Poll(Optional.empty(), tag, retryAfter);
		}
		return new Poll(Optional.of(jobDocument(read(response))), tag, retryAfter);
	}

	/**
	 * A poll's answer.
	 *
	 * @param document the job, or empty when it is as it was ({@code 304})
	 * @param etag the tag to send with the next poll
	 * @param retryAfter when the server would have the next poll
	 */
	public record Poll(Optional<JsonNode> document, @Nullable String etag, Optional<Duration> retryAfter) {

	}

	/** {@code GET /jobs}: one page, newest first. */
	public JsonNode jobs(@Nullable String status, int limit, @Nullable String cursor) {
		StringBuilder path = new StringBuilder("/jobs?limit=").append(limit);
		if (status != null) {
			path.append("&status=").append(query(status));
		}
		if (cursor != null) {
			path.append("&cursor=").append(query(cursor));
		}
		return read(send(request(path.toString(), ACCEPT_JSON).GET(), "GET " + path));
	}

	/** {@code GET /jobs/{id}/matches}: one page of matching gists. */
	public JsonNode matches(String id, int limit, @Nullable String cursor) {
		String path = "/jobs/" + segment(id) + "/matches?limit=" + limit
				+ ((cursor != null) ? "&cursor=" + query(cursor) : "");
		return read(send(request(path, ACCEPT_JSON).GET(), "GET " + path));
	}

	/**
	 * {@code GET /jobs/{id}/matches} as {@code application/x-ndjson}: every matching
	 * gist, one JSON document a line, as the server streams them. The caller closes the
	 * stream.
	 */
	public InputStream exportMatches(String id) {
		String path = "/jobs/" + segment(id) + "/matches";
		// The export is as long as the job's results: no time limit on the whole answer.
		HttpRequest.Builder request = request(path, NDJSON + ", application/problem+json").GET()
			.timeout(Duration.ofDays(1));
		return send(request, "GET " + path + " (ndjson)").body();
	}

	/** {@code POST /jobs/{id}/cancel}: the job as it is after the cancel. */
	public JsonNode cancel(String id) {
		String path = "/jobs/" + segment(id) + "/cancel";
		return jobDocument(
				read(send(request(path, ACCEPT_JSON).POST(HttpRequest.BodyPublishers.noBody()), "POST " + path)));
	}

	/**
	 * A job's document, or {@link Unreachable} when the answer is not one: whatever
	 * answered at the URL is not a gistgrep api.
	 */
	private JsonNode jobDocument(JsonNode document) {
		if (!document.path("id").isString() || !document.path("status").isString()) {
			throw Unreachable.wrongAnswer(this.server, "did not answer with a gistgrep job", null);
		}
		return document;
	}

	private HttpRequest.Builder request(String path, String accept) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(REQUEST_TIMEOUT)
			.header("Accept", accept)
			.header("User-Agent", "gistgrep-cli/" + Version.current());
		if (this.apiKey != null) {
			request.header("Authorization", "Bearer " + this.apiKey);
		}
		return request;
	}

	private HttpResponse<InputStream> send(HttpRequest.Builder builder, String what) {
		HttpRequest request = builder.build();
		for (int attempt = 1;; attempt++) {
			debug("> " + what);
			HttpResponse<InputStream> response = exchange(request);
			debug("< " + response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse(""));
			int status = response.statusCode();
			if (status < 300 || status == 304) {
				return response;
			}
			if (status < 400) {
				// Redirects are not followed: the key would go along to wherever they
				// point.
				discard(response);
				throw new ApiProblem(status, "redirect", "Redirected",
						"the server sends the client to "
								+ response.headers().firstValue("Location").orElse("(nowhere)")
								+ "; give that address as --url (GISTGREP_URL)",
						null)
					.failure();
			}
			ApiProblem problem = problem(response);
			if (response.statusCode() != 429 || !this.settings.retryRateLimited() || attempt >= RATE_LIMITED_TRIES) {
				throw problem.failure();
			}
			Duration wait = problem.retryAfterHeader().orElse(Duration.ofSeconds(1));
			this.settings.notices()
				.accept("rate limited by the server (" + problem.detail() + "); retrying in " + wait.toSeconds()
						+ " s, or Ctrl-C to stop; --no-retry fails at once instead");
			if (!this.settings.pause().pause(wait)) {
				throw problem.failure();
			}
		}
	}

	private HttpResponse<InputStream> exchange(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (HttpConnectTimeoutException ex) {
			throw Unreachable.noAnswer(this.server, "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", ex);
		}
		catch (HttpTimeoutException ex) {
			throw Unreachable.noAnswer(this.server, "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", ex);
		}
		catch (IOException ex) {
			throw Unreachable.noAnswer(this.server, reason(ex), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the server", ex);
		}
	}

	/** What went wrong with the connection, in words (the JDK often says nothing). */
	private static String reason(IOException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
				return "unknown host";
			}
			if (cause instanceof ConnectException) {
				return "connection refused";
			}
		}
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	private JsonNode read(HttpResponse<InputStream> response) {
		try (InputStream body = response.body()) {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw Unreachable.wrongAnswer(this.server, "did not answer with JSON (" + ex.getOriginalMessage() + ")",
					ex);
		}
		catch (IOException ex) {
			throw Unreachable.noAnswer(this.server, "the answer broke off: " + reason(ex), ex);
		}
	}

	private static void discard(HttpResponse<InputStream> response) {
		try (InputStream body = response.body()) {
			body.transferTo(OutputStream.nullOutputStream());
		}
		catch (IOException ex) {
			// Nothing of it was wanted; the connection is simply not reused.
		}
	}

	private ApiProblem problem(HttpResponse<InputStream> response) {
		int status = response.statusCode();
		String text;
		try (InputStream body = response.body()) {
			text = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			text = "";
		}
		Duration retryAfter = retryAfter(response).orElse(null);
		try {
			JsonNode problem = this.json.readTree(text);
			if (problem.isObject() && problem.hasNonNull("title")) {
				String type = problem.path("type").asString("about:blank");
				return new ApiProblem(status, type.substring(type.lastIndexOf('/') + 1),
						problem.path("title").asString(), problem.path("detail").asString(""), retryAfter);
			}
		}
		catch (JacksonException ex) {
			// Not a problem document (a proxy's page, say): described from the status
			// below.
		}
		String firstLine = text.strip().lines().findFirst().orElse("");
		return new ApiProblem(status, "about:blank", "HTTP " + status,
				(firstLine.length() > 200) ? firstLine.substring(0, 200) + "…" : firstLine, retryAfter);
	}

	/** {@code Retry-After} in seconds (the api never sends a date). */
	private static Optional<Duration> retryAfter(HttpResponse<?> response) {
		return response.headers()
			.firstValue("Retry-After")
			.filter((value) -> value.matches("\\d{1,6}"))
			.map((value) -> Duration.ofSeconds(Long.parseLong(value)));
	}

	private void debug(String line) {
		if (this.settings.debug() != null) {
			this.settings.debug().println("gistgrep: [debug] " + Unreachable.shown(this.server) + " " + line);
		}
	}

	/** A path segment: a job id as the user typed it, which may hold anything. */
	private static String segment(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static String query(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
