package io.gistgrep.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
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

	/**
	 * The client's one mapper: building one is a good part of a short run's start-up, so
	 * the printers use this one too.
	 */
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

	/** The mapper the client reads the api's answers with. */
	public JsonMapper json() {
		return this.json;
	}

	/** The cursor of the page after {@code page} of a list, or empty on the last page. */
	public static Optional<String> nextCursor(JsonNode page) {
		JsonNode next = page.path("next_cursor");
		return (next.isString() && !next.asString().isEmpty()) ? Optional.of(next.asString()) : Optional.empty();
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
		Request request = new Request("POST", "/jobs", ACCEPT_JSON, this.json.writeValueAsBytes(body),
				(idempotencyKey != null) ? Map.of("Idempotency-Key", idempotencyKey) : Map.of());
		return jobDocument(read(send(request)));
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
		Answer response = send(new Request("GET", "/jobs/" + segment(id), ACCEPT_JSON, null,
				(etag != null) ? Map.of("If-None-Match", etag) : Map.of()));
		String tag = response.header("ETag").orElse(etag);
		Optional<Duration> retryAfter = retryAfter(response);
		if (response.status() == 304) {
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
		return read(send(Request.get(path.toString(), ACCEPT_JSON)));
	}

	/** {@code GET /jobs/{id}/matches}: one page of matching gists. */
	public JsonNode matches(String id, int limit, @Nullable String cursor) {
		String path = "/jobs/" + segment(id) + "/matches?limit=" + limit
				+ ((cursor != null) ? "&cursor=" + query(cursor) : "");
		return read(send(Request.get(path, ACCEPT_JSON)));
	}

	/**
	 * {@code GET /jobs/{id}/matches} as {@code application/x-ndjson}: every matching
	 * gist, one JSON document a line, as the server streams them. The caller closes the
	 * stream.
	 */
	public InputStream exportMatches(String id) {
		String path = "/jobs/" + segment(id) + "/matches";
		// The export is as long as the job's results: the time limit is on each read, and
		// the server flushes a page at a time.
		return send(Request.get(path, NDJSON + ", application/problem+json")).body();
	}

	/** {@code POST /jobs/{id}/cancel}: the job as it is after the cancel. */
	public JsonNode cancel(String id) {
		String path = "/jobs/" + segment(id) + "/cancel";
		return jobDocument(read(send(new Request("POST", path, ACCEPT_JSON, new byte[0], Map.of()))));
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

	/**
	 * A request to the api.
	 *
	 * @param body sent as JSON, or null for none
	 * @param headers beyond Accept, User-Agent and Authorization
	 */
	private record Request(String method, String path, String accept, byte @Nullable [] body,
			Map<String, String> headers) {

		static Request get(String path, String accept) {
			return new Request("GET", path, accept, null, Map.of());
		}

	}

	/** The api's answer: its status, headers and body, to be read and closed. */
	private record Answer(int status, HttpURLConnection connection, InputStream body) {

		Optional<String> header(String name) {
			return Optional.ofNullable(this.connection.getHeaderField(name));
		}

	}

	private Answer send(Request request) {
		String what = request.method() + " " + request.path();
		for (int attempt = 1;; attempt++) {
			debug("> " + what);
			Answer response = exchange(request);
			debug("< " + response.status() + " " + response.header("Content-Type").orElse(""));
			int status = response.status();
			if (status < 300 || status == 304) {
				return response;
			}
			if (status < 400) {
				// Redirects are not followed: the key would go along to wherever they
				// point.
				discard(response);
				throw new ApiProblem(status, "redirect", "Redirected",
						"the server sends the client to " + response.header("Location").orElse("(nowhere)")
								+ "; give that address as --url (GISTGREP_URL)",
						null)
					.failure();
			}
			ApiProblem problem = problem(response);
			if (status != 429 || !this.settings.retryRateLimited() || attempt >= RATE_LIMITED_TRIES) {
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

	/**
	 * One exchange, through {@link HttpURLConnection}: the JDK's {@code HttpClient} sets
	 * up TLS whatever the URL and costs a short-lived client about 0.35 s of every run;
	 * this one keeps connections alive just the same.
	 */
	private Answer exchange(Request request) {
		HttpURLConnection connection;
		try {
			connection = (HttpURLConnection) URI.create(this.base + request.path()).toURL().openConnection();
		}
		catch (IOException | IllegalArgumentException ex) {
			throw Unreachable.noAnswer(this.server, "not a URL the client can open", ex);
		}
		connection.setInstanceFollowRedirects(false);
		connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
		connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
		connection.setUseCaches(false);
		try {
			connection.setRequestMethod(request.method());
		}
		catch (ProtocolException ex) {
			throw new IllegalStateException(ex);
		}
		connection.setRequestProperty("Accept", request.accept());
		connection.setRequestProperty("User-Agent", "gistgrep-cli/" + Version.current());
		if (this.apiKey != null) {
			connection.setRequestProperty("Authorization", "Bearer " + this.apiKey);
		}
		request.headers().forEach(connection::setRequestProperty);
		if (request.body() != null) {
			// Buffered, not streamed: in streaming mode the JDK turns a 401 into an
			// HttpRetryException instead of an answer.
			connection.setDoOutput(true);
			if (request.body().length > 0) {
				connection.setRequestProperty("Content-Type", JSON);
			}
		}
		try {
			connection.connect();
		}
		catch (SocketTimeoutException ex) {
			throw Unreachable.noAnswer(this.server, "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", ex);
		}
		catch (IOException ex) {
			throw Unreachable.noAnswer(this.server, reason(ex), ex);
		}
		try {
			if (request.body() != null) {
				try (OutputStream out = connection.getOutputStream()) {
					out.write(request.body());
				}
			}
			int status = connection.getResponseCode();
			InputStream body = (status >= 400) ? connection.getErrorStream() : connection.getInputStream();
			return new Answer(status, connection, (body != null) ? body : InputStream.nullInputStream());
		}
		catch (SocketTimeoutException ex) {
			throw Unreachable.noAnswer(this.server, "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", ex);
		}
		catch (IOException ex) {
			throw Unreachable.noAnswer(this.server, reason(ex), ex);
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

	private JsonNode read(Answer response) {
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

	private static void discard(Answer response) {
		try (InputStream body = response.body()) {
			body.transferTo(OutputStream.nullOutputStream());
		}
		catch (IOException ex) {
			// Nothing of it was wanted; the connection is simply not reused.
		}
	}

	private ApiProblem problem(Answer response) {
		int status = response.status();
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
	private static Optional<Duration> retryAfter(Answer response) {
		return response.header("Retry-After")
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
