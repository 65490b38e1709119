package io.gistgrep.worker.github;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistRef;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The worker's GitHub client: lists a user's gists and fetches raw file content.
 * <p>
 * Politeness rules live here: a real {@code User-Agent}, tokens sent only to the API
 * host, {@code raw_url}s followed only to allowed hosts, redirects not followed (a
 * redirect could carry a token elsewhere), conditional listing requests, and every answer
 * turned into a typed {@link GitHubException} so the consumers can tell a missing user
 * from a rate limit from a transient failure.
 */
@Component
public class GitHubClient {

	private static final Duration DEFAULT_SECONDARY_WAIT = Duration.ofSeconds(60);

	private final GitHubProperties properties;

	private final ListingCache cache;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final Clock clock;

	private final HttpClient http;

	private final Set<String> rawHosts;

	private final AtomicInteger nextToken = new AtomicInteger();

	GitHubClient(GitHubProperties properties, ListingCache cache, JsonMapper json, MeterRegistry meters) {
		this.properties = properties;
		this.cache = cache;
		this.json = json;
		this.meters = meters;
		this.clock = Clock.systemUTC();
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(Executors.newVirtualThreadPerTaskExecutor())
			.build();
		List<String> hosts = new ArrayList<>(properties.rawHosts());
		hosts.add(properties.apiUrl().getHost());
		this.rawHosts = Set.copyOf(hosts.stream().map((h) -> h.toLowerCase(Locale.ROOT)).toList());
	}

	/** The URL of a user's first page of gists, 100 to a page. */
	public String firstPageUrl(String username) {
		String base = this.properties.apiUrl().toString().replaceAll("/+$", "");
		return base + "/users/" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "/gists?per_page=100";
	}

	/**
	 * One page of a user's gists, from {@code url} as given (the first page's URL, or a
	 * previous page's next link).
	 * @throws GitHubException.UserNotFound when GitHub answers 404
	 */
	public GistPage listGists(String url, String username) {
		URI uri = URI.create(url);
		if (!sameOrigin(uri, this.properties.apiUrl())) {
			throw new GitHubException.Unavailable("foreign-link", "Refusing to list from " + uri.getHost()
					+ ", which is not the configured GitHub API host " + this.properties.apiUrl().getHost());
		}
		Optional<String> token = token();
		String credential = token.map((t) -> "token:" + Integer.toHexString(t.hashCode())).orElse("anonymous");
		Optional<ListingCache.Entry> cached = this.cache.get(url, credential);
		HttpRequest.Builder request = apiRequest(uri, token);
		cached.ifPresent((entry) -> request.header("If-None-Match", entry.etag()));
		HttpResponse<String> response = send(request.build(), HttpResponse.BodyHandlers.ofString(), "list");
		int status = response.statusCode();
		if (status == 304 && cached.isPresent()) {
			ListingCache.Entry entry = cached.get();
			return new GistPage(entry.gists(), Optional.ofNullable(entry.next()), true);
		}
		if (status == 404) {
			throw new GitHubException.UserNotFound(username);
		}
		checkStatus(response, "listing " + uri.getPath());
		List<GistRef> gists = parseListing(response.body());
		Optional<String> next = response.headers().firstValue("link").flatMap((link) -> LinkHeader.find(link, "next"));
		response.headers()
			.firstValue("etag")
			.ifPresent(
					(etag) -> this.cache.put(url, credential, new ListingCache.Entry(etag, gists, next.orElse(null))));
		return new GistPage(gists, next, false);
	}

	/**
	 * The bytes of a file, from its {@code raw_url}; never with a token.
	 * @throws GitHubException.Unavailable when the file is gone, too large, or on a host
	 * that is not allowed
	 */
	public byte[] fetchRaw(String rawUrl) {
		URI uri;
		try {
			uri = URI.create(rawUrl);
		}
		catch (IllegalArgumentException ex) {
			throw new GitHubException.Unavailable("invalid-raw-url", "Not a URL: " + rawUrl);
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : "";
		if (!(scheme.equals("https") || scheme.equals("http")) || !this.rawHosts.contains(host)) {
			throw new GitHubException.Unavailable("raw-host-not-allowed",
					"raw_url host " + host + " is not in GISTGREP_GITHUB_RAW_HOSTS");
		}
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(this.properties.readTimeout())
			.header("User-Agent", this.properties.userAgent())
			.GET()
			.build();
		HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream(), "raw");
		int status = response.statusCode();
		try (InputStream body = response.body()) {
			if (status == 404) {
				throw new GitHubException.Unavailable("raw-not-found", "raw_url answered 404");
			}
			if (status != 200) {
				checkStatus(response, "raw " + uri.getPath());
			}
			long max = this.properties.maxRawFileSize().toBytes();
			byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
			if (bytes.length > max) {
				throw new GitHubException.Unavailable("too-large", "file is larger than " + max + " bytes");
			}
			return bytes;
		}
		catch (IOException ex) {
			throw new GitHubException.Transient("Reading " + uri.getPath() + " failed: " + ex.getMessage(), ex);
		}
	}

	private HttpRequest.Builder apiRequest(URI uri, Optional<String> token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(this.properties.readTimeout())
			.header("User-Agent", this.properties.userAgent())
			.header("Accept", "application/vnd.github+json")
			.header("X-GitHub-Api-Version", "2022-11-28")
			.GET();
		token.ifPresent((t) -> request.header("Authorization", "Bearer " + t));
		return request;
	}

	private Optional<String> token() {
		List<String> tokens = this.properties.tokens();
		if (tokens.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(tokens.get(Math.floorMod(this.nextToken.getAndIncrement(), tokens.size())));
	}

	private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String kind) {
		try {
			HttpResponse<T> response = this.http.send(request, handler);
			this.meters
				.counter("gistgrep.github.requests", "kind", kind, "status", Integer.toString(response.statusCode()))
				.increment();
			return response;
		}
		catch (IOException ex) {
			this.meters.counter("gistgrep.github.requests", "kind", kind, "status", "io-error").increment();
			throw new GitHubException.Transient(kind + " request to " + request.uri().getHost() + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new GitHubException.Transient("Interrupted", ex);
		}
	}

	private void checkStatus(HttpResponse<?> response, String what) {
		int status = response.statusCode();
		if (status == 200) {
			return;
		}
		if (status == 401) {
			throw new GitHubException.BadCredentials();
		}
		if (status == 403 || status == 429) {
			OptionalLong remaining = header(response, "x-ratelimit-remaining");
			OptionalLong reset = header(response, "x-ratelimit-reset");
			OptionalLong retryAfter = header(response, "retry-after");
			Instant now = this.clock.instant();
			if (retryAfter.isPresent()) {
				throw new GitHubException.RateLimited(
						what + ": secondary rate limit, retry after " + retryAfter.getAsLong() + " s",
						now.plusSeconds(retryAfter.getAsLong()));
			}
			if (remaining.isPresent() && remaining.getAsLong() == 0 && reset.isPresent()) {
				Instant at = Instant.ofEpochSecond(reset.getAsLong());
				throw new GitHubException.RateLimited(what + ": rate limit spent until " + at,
						at.isAfter(now) ? at : now.plusSeconds(1));
			}
			if (status == 429 || remaining.isPresent()) {
				throw new GitHubException.RateLimited(what + ": rate limited (" + status + ")",
						now.plus(DEFAULT_SECONDARY_WAIT));
			}
			throw new GitHubException.Unavailable("forbidden", what + " answered 403");
		}
		if (status >= 500) {
			throw new GitHubException.Transient(what + " answered " + status);
		}
		throw new GitHubException.Unavailable("http-" + status, what + " answered " + status);
	}

	private static OptionalLong header(HttpResponse<?> response, String name) {
		Optional<String> value = response.headers().firstValue(name);
		if (value.isEmpty()) {
			return OptionalLong.empty();
		}
		try {
			return OptionalLong.of(Long.parseLong(value.get().trim()));
		}
		catch (NumberFormatException ex) {
			return OptionalLong.empty();
		}
	}

	private List<GistRef> parseListing(String body) {
		JsonNode root = this.json.readTree(body);
		List<GistRef> gists = new ArrayList<>();
		for (JsonNode item : root) {
			List<GistFile> files = new ArrayList<>();
			for (Map.Entry<String, JsonNode> entry : item.path("files").properties()) {
				JsonNode file = entry.getValue();
				files.add(new GistFile(text(file, "filename", entry.getKey()), textOrNull(file, "type"),
						textOrNull(file, "language"), file.path("raw_url").asString(), file.path("size").asLong()));
			}
			String updated = textOrNull(item, "updated_at");
			gists.add(new GistRef(item.path("id").asString(), item.path("html_url").asString(),
					textOrNull(item, "description"), (updated != null) ? Instant.parse(updated) : null,
					item.path("truncated").asBoolean(false), files));
		}
		return gists;
	}

	private static String text(JsonNode node, String field, String fallback) {
		String value = textOrNull(node, field);
		return (value != null) ? value : fallback;
	}

	private static @Nullable String textOrNull(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asString();
	}

	private static boolean sameOrigin(URI a, URI b) {
		return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
				&& a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

}
