package io.gistgrep.worker.github;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistRef;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The worker's GitHub client: lists a user's gists and fetches file content.
 * <p>
 * Politeness rules live here: a real {@code User-Agent}; tokens sent only to the API
 * host, and only after {@link RateBudget} reserved a request of the token's shared
 * budget; conditional listing requests (a {@code 304} is free); {@code raw_url}s followed
 * only to allowed hosts, never with a token; redirects not followed (a redirect could
 * carry a token elsewhere); at most a few requests in flight per host; a deadline on
 * every request; and every answer turned into a typed {@link GitHubException} so the
 * consumers can tell a missing user from a rate limit from a transient failure.
 */
@Component
public class GitHubClient {

	private static final Duration DEFAULT_SECONDARY_WAIT = Duration.ofSeconds(60);

	private final GitHubProperties properties;

	private final ListingCache cache;

	private final ContentCache contents;

	private final RateBudget budget;

	private final HostLimiter hosts;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final Clock clock;

	private final HttpClient http;

	private final Set<String> rawHosts;

	GitHubClient(GitHubProperties properties, ListingCache cache, ContentCache contents, RateBudget budget,
			HostLimiter hosts, JsonMapper json, MeterRegistry meters) {
		this.properties = properties;
		this.cache = cache;
		this.contents = contents;
		this.budget = budget;
		this.hosts = hosts;
		this.json = json;
		this.meters = meters;
		this.clock = Clock.systemUTC();
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(Executors.newVirtualThreadPerTaskExecutor())
			.build();
		List<String> allowed = new ArrayList<>(properties.rawHosts());
		allowed.add(properties.apiUrl().getHost());
		this.rawHosts = Set.copyOf(allowed.stream().map((h) -> h.toLowerCase(Locale.ROOT)).toList());
	}

	/** The URL of a user's first page of gists, 100 to a page. */
	public String firstPageUrl(String username) {
		return base() + "/users/" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "/gists?per_page=100";
	}

	/**
	 * One page of a user's gists, from {@code url} as given (the first page's URL, or a
	 * previous page's next link).
	 * @throws GitHubException.UserNotFound when GitHub answers 404
	 * @throws GitHubException.RateLimited when every token's budget is spent
	 */
	public GistPage listGists(String url, String username) {
		URI uri = URI.create(url);
		if (!sameOrigin(uri, this.properties.apiUrl())) {
			throw new GitHubException.Unavailable("foreign-link", "Refusing to list from " + uri.getHost()
					+ ", which is not the configured GitHub API host " + this.properties.apiUrl().getHost());
		}
		// A token whose cached ETag may make this request free is preferred.
		RateBudget.Credential preferred = null;
		ListingCache.Entry cached = null;
		for (RateBudget.Credential credential : this.budget.credentials()) {
			Optional<ListingCache.Entry> entry = this.cache.get(url, credential.id());
			if (entry.isPresent()) {
				preferred = credential;
				cached = entry.get();
				break;
			}
		}
		int refusals = 0;
		while (true) {
			RateBudget.Credential credential = this.budget.acquire(preferred);
			ListingCache.Entry entry = credential.equals(preferred) ? cached : null;
			try {
				return listGists(uri, username, credential, entry);
			}
			catch (GitHubException.RateLimited ex) {
				// That token is spent or blocked now; another may not be.
				if (++refusals >= this.budget.credentials().size()) {
					throw ex;
				}
			}
		}
	}

	private GistPage listGists(URI uri, String username, RateBudget.Credential credential,
			ListingCache.@Nullable Entry cached) {
		HttpRequest.Builder request = apiRequest(uri, credential);
		if (cached != null) {
			request.header("If-None-Match", cached.etag());
		}
		HttpResponse<String> response = api(request.build(), credential, "list");
		int status = response.statusCode();
		if (status == 304 && cached != null) {
			this.meters.counter("gistgrep.cache", "cache", "listing", "result", "hit").increment();
			return new GistPage(cached.gists(), Optional.ofNullable(cached.next()), true);
		}
		if (status == 404) {
			throw new GitHubException.UserNotFound(username);
		}
		checkApiStatus(response, credential, "listing " + uri.getPath());
		this.meters.counter("gistgrep.cache", "cache", "listing", "result", "miss").increment();
		List<GistRef> gists = parseListing(response.body());
		Optional<String> next = response.headers().firstValue("link").flatMap((link) -> LinkHeader.find(link, "next"));
		response.headers()
			.firstValue("etag")
			.ifPresent((etag) -> this.cache.put(uri.toString(), credential.id(),
					new ListingCache.Entry(etag, gists, next.orElse(null))));
		return new GistPage(gists, next, false);
	}

	/**
	 * The {@code git_pull_url} of a gist that needs a clone: as the listing gave it (kept
	 * with the job's gists in the database), or else asked of GitHub (one API request).
	 */
	public String pullUrl(GistRef gist) {
		if (gist.gitPullUrl() != null) {
			return gist.gitPullUrl();
		}
		String gistId = gist.id();
		URI uri = URI.create(base() + "/gists/" + URLEncoder.encode(gistId, StandardCharsets.UTF_8));
		RateBudget.Credential credential = this.budget.acquire(null);
		HttpResponse<String> response = api(apiRequest(uri, credential).build(), credential, "gist");
		if (response.statusCode() == 404) {
			throw new GitHubException.Unavailable("gist-not-found", "GitHub has no gist " + gistId);
		}
		checkApiStatus(response, credential, "gist " + gistId);
		String pullUrl = this.json.readTree(response.body()).path("git_pull_url").asString("");
		if (pullUrl.isEmpty()) {
			throw new GitHubException.Unavailable("no-pull-url", "GitHub gave no git_pull_url for gist " + gistId);
		}
		return pullUrl;
	}

	/**
	 * The bytes of a listed file: from the content cache when its blob SHA is there, else
	 * from its {@code raw_url} (then cached, if small and its SHA checks out).
	 * @throws GitHubException.Unavailable when the file is gone, too large, or on a host
	 * that is not allowed
	 */
	public byte[] content(GistFile file) {
		Optional<String> sha = BlobSha.of(file.rawUrl());
		if (sha.isPresent() && this.contents.accepts(file.size())) {
			Optional<byte[]> cached = this.contents.get(sha.get());
			if (cached.isPresent()) {
				return cached.get();
			}
		}
		byte[] content = fetchRaw(file.rawUrl());
		if (sha.isPresent() && BlobSha.compute(content).equals(sha.get())) {
			this.contents.put(sha.get(), content);
		}
		return content;
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
		if (!(scheme.equals("https") || scheme.equals("http")) || !this.rawHosts.contains(host)
				|| uri.getUserInfo() != null) {
			throw new GitHubException.Unavailable("raw-host-not-allowed",
					"raw_url host " + host + " is not in GISTGREP_GITHUB_RAW_HOSTS");
		}
		this.budget.checkRawHost(host);
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(this.properties.readTimeout())
			.header("User-Agent", this.properties.userAgent())
			.GET()
			.build();
		long max = this.properties.maxRawFileSize().toBytes();
		HttpResponse<byte[]> response = send(request, (info) -> {
			long length = info.headers().firstValueAsLong("content-length").orElse(-1);
			return (length > max) ? HttpResponse.BodySubscribers.replacing(null)
					: HttpResponse.BodySubscribers.ofByteArray();
		}, "raw");
		int status = response.statusCode();
		if (status == 404) {
			throw new GitHubException.Unavailable("raw-not-found", "raw_url answered 404");
		}
		if (status == 429 || (status == 403 && response.headers().firstValue("retry-after").isPresent())) {
			Instant until = this.clock.instant()
				.plus(header(response, "retry-after").stream()
					.mapToObj(Duration::ofSeconds)
					.findFirst()
					.orElse(DEFAULT_SECONDARY_WAIT));
			this.budget.blockRawHost(host, until);
			throw new GitHubException.RateLimited("raw host " + host + " answered " + status, until);
		}
		if (status >= 500) {
			throw new GitHubException.Transient("raw " + uri.getPath() + " answered " + status);
		}
		if (status != 200) {
			throw new GitHubException.Unavailable((status == 403) ? "forbidden" : "http-" + status,
					"raw_url answered " + status);
		}
		byte[] bytes = response.body();
		if (bytes == null || bytes.length > max) {
			throw new GitHubException.Unavailable("too-large", "file is larger than " + max + " bytes");
		}
		return bytes;
	}

	private String base() {
		return this.properties.apiUrl().toString().replaceAll("/+$", "");
	}

	private HttpRequest.Builder apiRequest(URI uri, RateBudget.Credential credential) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(this.properties.readTimeout())
			.header("User-Agent", this.properties.userAgent())
			.header("Accept", "application/vnd.github+json")
			.header("X-GitHub-Api-Version", "2022-11-28")
			.GET();
		if (credential.token() != null) {
			request.header("Authorization", "Bearer " + credential.token());
		}
		return request;
	}

	/** Sends an API request and stores the budget its answer reports. */
	private HttpResponse<String> api(HttpRequest request, RateBudget.Credential credential, String kind) {
		HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(), kind);
		OptionalLong remaining = header(response, "x-ratelimit-remaining");
		OptionalLong reset = header(response, "x-ratelimit-reset");
		if (remaining.isPresent() && reset.isPresent()) {
			this.budget.record(credential, remaining.getAsLong(), reset.getAsLong(), response.statusCode() == 304);
		}
		if (response.statusCode() == 304) {
			this.meters.counter("gistgrep.github.not-modified", "kind", kind).increment();
		}
		return response;
	}

	/**
	 * Sends within the host's concurrency bound and a deadline for the whole exchange,
	 * body included.
	 */
	private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String kind) {
		String host = request.uri().getHost();
		try (HostLimiter.Permit permit = this.hosts.acquire(host)) {
			CompletableFuture<HttpResponse<T>> future = this.http.sendAsync(request, handler);
			try {
				HttpResponse<T> response = future.get(
						this.properties.readTimeout().toMillis() + this.properties.connectTimeout().toMillis(),
						TimeUnit.MILLISECONDS);
				count(kind, Integer.toString(response.statusCode()));
				return response;
			}
			catch (TimeoutException ex) {
				future.cancel(true);
				count(kind, "timeout");
				throw new GitHubException.Transient(kind + " request to " + host + " timed out", ex);
			}
			catch (ExecutionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				count(kind, (cause instanceof HttpTimeoutException) ? "timeout" : "io-error");
				throw new GitHubException.Transient(kind + " request to " + host + " failed: " + cause, cause);
			}
			catch (InterruptedException ex) {
				future.cancel(true);
				Thread.currentThread().interrupt();
				throw new GitHubException.Transient("Interrupted", ex);
			}
		}
	}

	private void count(String kind, String status) {
		this.meters.counter("gistgrep.github.requests", "kind", kind, "status", status).increment();
	}

	private void checkApiStatus(HttpResponse<?> response, RateBudget.Credential credential, String what) {
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
				Instant until = now.plusSeconds(Math.max(1, retryAfter.getAsLong()));
				this.budget.block(credential, until);
				throw new GitHubException.RateLimited(
						what + ": secondary rate limit, retry after " + retryAfter.getAsLong() + " s", until);
			}
			if (remaining.isPresent() && remaining.getAsLong() == 0 && reset.isPresent()) {
				// The budget recorded the spent window already.
				Instant at = Instant.ofEpochSecond(reset.getAsLong());
				throw new GitHubException.RateLimited(what + ": rate limit of " + credential + " spent until " + at,
						at.isAfter(now) ? at : now.plusSeconds(1));
			}
			if (status == 429 || remaining.isPresent()) {
				Instant until = now.plus(DEFAULT_SECONDARY_WAIT);
				this.budget.block(credential, until);
				throw new GitHubException.RateLimited(what + ": rate limited (" + status + ")", until);
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

	/**
	 * The page's gists; the {@code git_pull_url} of those that will need a clone (a file
	 * too large for the raw host, or a truncated file list) go to {@code pullUrls}.
	 */
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
					item.path("truncated").asBoolean(false), files, textOrNull(item, "git_pull_url")));
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
