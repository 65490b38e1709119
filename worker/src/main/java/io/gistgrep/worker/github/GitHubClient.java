package io.gistgrep.worker.github;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The worker's client of GitHub's REST API: lists a user's gists and looks up a gist's
 * pull URL. Raw files are fetched by {@link RawFiles}, clones made by {@link GistClones}.
 * <p>
 * Politeness rules live here: tokens are sent only to the API host, and only after
 * {@link RateBudget} reserved a request of the token's shared budget; listing requests
 * are conditional (a {@code 304} is free), with the token whose cached ETag can make them
 * so; next links are followed only on the API host. A token GitHub refuses (401) is
 * revoked for every worker and the request sent again with the next usable token.
 * {@link GitHubHttp} adds the User-Agent, the per-host bound and the deadline, and
 * {@link GitHubAnswer} tells a missing user from a rate limit from a transient failure.
 */
@Component
public class GitHubClient {

	private static final TypeReference<List<ListedGist>> PAGE = new TypeReference<>() {
	};

	private final GitHubProperties properties;

	private final GitHubHttp http;

	private final ListingCache cache;

	private final RateBudget budget;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final Clock clock;

	GitHubClient(GitHubProperties properties, GitHubHttp http, ListingCache cache, RateBudget budget, JsonMapper json,
			MeterRegistry meters) {
		this.properties = properties;
		this.http = http;
		this.cache = cache;
		this.budget = budget;
		this.json = json;
		this.meters = meters;
		this.clock = Clock.systemUTC();
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
			catch (GitHubException.BadCredentials ex) {
				// Out of rotation now; acquire throws BadCredentials once none is left.
				this.budget.revoke(credential);
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
		GitHubAnswer answer = GitHubAnswer.of(response, this.clock.instant(), this.properties.secondaryLimits());
		if (answer.notModified() && cached != null) {
			this.meters.counter("gistgrep.cache", "cache", "listing", "result", "hit").increment();
			return new GistPage(cached.gists(), Optional.ofNullable(cached.next()), true);
		}
		answer.checkListing(username, "listing " + uri.getPath(), credential,
				(until) -> this.budget.block(credential, until));
		this.meters.counter("gistgrep.cache", "cache", "listing", "result", "miss").increment();
		List<ListedGist> gists = this.json.readValue(response.body(), PAGE);
		Optional<String> next = response.headers().firstValue("link").flatMap((link) -> LinkHeader.find(link, "next"));
		response.headers()
			.firstValue("etag")
			.ifPresent((etag) -> this.cache.put(uri.toString(), credential.id(),
					new ListingCache.Entry(etag, gists, next.orElse(null))));
		return new GistPage(gists, next, false);
	}

	/**
	 * The {@code git_pull_url} of a gist, asked of GitHub (one API request), for a gist
	 * whose listing did not give it.
	 * @throws GitHubException.Unavailable when GitHub has no such gist, or gives no URL
	 */
	public String pullUrl(String gistId) {
		URI uri = URI.create(base() + "/gists/" + URLEncoder.encode(gistId, StandardCharsets.UTF_8));
		HttpResponse<String> response;
		while (true) {
			RateBudget.Credential credential = this.budget.acquire(null);
			response = api(apiRequest(uri, credential).build(), credential, "gist");
			try {
				GitHubAnswer.of(response, this.clock.instant(), this.properties.secondaryLimits())
					.checkGist(gistId, credential, (until) -> this.budget.block(credential, until));
				break;
			}
			catch (GitHubException.BadCredentials ex) {
				this.budget.revoke(credential);
			}
		}
		String pullUrl = this.json.readTree(response.body()).path("git_pull_url").asString("");
		if (pullUrl.isEmpty()) {
			throw new GitHubException.Unavailable("no-pull-url", "GitHub gave no git_pull_url for gist " + gistId);
		}
		return pullUrl;
	}

	private String base() {
		return this.properties.apiUrl().toString().replaceAll("/+$", "");
	}

	private HttpRequest.Builder apiRequest(URI uri, RateBudget.Credential credential) {
		HttpRequest.Builder request = this.http.get(uri)
			.header("Accept", "application/vnd.github+json")
			.header("X-GitHub-Api-Version", "2022-11-28");
		if (credential.token() != null) {
			request.header("Authorization", "Bearer " + credential.token());
		}
		return request;
	}

	/** Sends an API request and stores the budget its answer reports. */
	private HttpResponse<String> api(HttpRequest request, RateBudget.Credential credential, String kind) {
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString(), kind);
		boolean notModified = response.statusCode() == 304;
		if (response.statusCode() == 401) {
			// Its rate headers are the address's, not the refused token's.
			return response;
		}
		GitHubAnswer.of(response, this.clock.instant())
			.rateLimit()
			.ifPresent((limit) -> this.budget.record(credential, limit.remaining(), limit.resetEpochSeconds(),
					notModified));
		if (notModified) {
			this.meters.counter("gistgrep.github.not-modified", "kind", kind).increment();
		}
		return response;
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
