package io.gistgrep.sim;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import io.gistgrep.sim.RateLimiter.ClientKey;
import io.gistgrep.sim.RateLimiter.Quota;

/**
 * The REST API listener: gist listings, single gists, users and {@code /rate_limit}, with
 * GitHub's rate limiting, conditional requests and error bodies.
 */
final class ApiHandler implements HttpHandler {

	static final int DEFAULT_PER_PAGE = 30;

	static final int MAX_PER_PAGE = 100;

	private static final String BAD_TOKEN = "bad-token";

	private static final String LIST_DOCS = "https://docs.github.com/rest/gists/gists#list-gists-for-a-user";

	private static final String GIST_DOCS = "https://docs.github.com/rest/gists/gists#get-a-gist";

	private static final String USER_DOCS = "https://docs.github.com/rest/users/users#get-a-user";

	private static final String REST_DOCS = "https://docs.github.com/rest";

	private static final String SECONDARY_LIMIT_MESSAGE = "You have exceeded a secondary rate limit. Please wait a"
			+ " few minutes before you try again. If you reach out to GitHub Support for help, please include the"
			+ " request ID.";

	private static final String SECONDARY_LIMIT_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits";

	private static final String RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting";

	/**
	 * GitHub's answer to a request without a {@code User-Agent} (observed; text/html).
	 */
	static final String USER_AGENT_REQUIRED = "Request forbidden by administrative rules. Please make sure your"
			+ " request has a User-Agent header (http://developer.github.com/v3/#user-agent-required). Check"
			+ " https://developer.github.com for other possible causes.\n";

	private static final System.Logger LOGGER = System.getLogger(ApiHandler.class.getName());

	private final SimContext context;

	private final AtomicLong requestIds = new AtomicLong();

	ApiHandler(SimContext context) {
		this.context = context;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			Optional<List<String>> segments = Http.segments(exchange.getRequestURI().getRawPath());
			String method = exchange.getRequestMethod();
			boolean readable = method.equals("GET") || method.equals("HEAD");
			RequestKind kind = (segments.isPresent() && readable) ? kindOf(segments.get()) : RequestKind.OTHER;
			this.context.counters().apiRequest(kind);
			Reply reply;
			this.context.secondaryTriggers().arrive();
			try {
				reply = respond(exchange, kind, readable ? segments.orElse(List.of()) : List.of());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				LOGGER.log(System.Logger.Level.WARNING, "Failed to answer " + exchange.getRequestURI(), ex);
				reply = Reply.json(500, Json.error("Server Error", REST_DOCS, 500));
			}
			finally {
				this.context.secondaryTriggers().leave();
			}
			reply.header("x-github-request-id", requestId());
			// Count before sending, so a client that reads the counters after its
			// response sees its own request.
			this.context.counters().completed(kind, reply.status());
			reply.send(exchange);
		}
	}

	private Reply respond(HttpExchange exchange, RequestKind kind, List<String> segments) throws InterruptedException {
		FaultInjector faults = this.context.faults();
		faults.delay(Target.API);
		String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
		if (this.context.requireUserAgent() && (userAgent == null || userAgent.isBlank())) {
			this.context.counters().polite().missingUserAgent.increment();
			return Reply.text(403, USER_AGENT_REQUIRED)
				.header("content-type", "text/html")
				.header("connection", "close");
		}
		Fault queued = faults.nextQueued(Target.API);
		if (queued == Fault.STATUS_500) {
			this.context.counters().countInjectedFault(Target.API, queued);
			return injectedError(500);
		}
		if (faults.shouldFail(Target.API)) {
			this.context.counters().countInjectedFault(Target.API, Fault.STATUS_500);
			return injectedError(faults.faults().errorStatus());
		}
		if (queued == Fault.RESET_MID_BODY) {
			this.context.counters().countInjectedFault(Target.API, queued);
			return respondAuthorized(exchange, kind, segments).cutShort();
		}
		return respondAuthorized(exchange, kind, segments);
	}

	private Reply respondAuthorized(HttpExchange exchange, RequestKind kind, List<String> segments) {
		FaultInjector faults = this.context.faults();
		ClientKey address = new ClientKey(exchange.getRemoteAddress().getAddress().getHostAddress(), false);
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		ClientKey key = address;
		if (authorization != null) {
			String token = token(authorization);
			this.context.counters().countTokenRequest(token);
			if (token.isEmpty() || token.equals(BAD_TOKEN) || this.context.rateLimiter().isRevoked(token)) {
				Reply reply = Reply.json(401, Json.error("Bad credentials", REST_DOCS, 401));
				return withQuota(reply, this.context.rateLimiter().peek(address));
			}
			key = new ClientKey(token, true);
		}
		FaultInjector.SecondaryLimit secondary = faults.secondaryLimit();
		if (secondary != null) {
			Reply limited = withQuota(Reply.json(403, Json.error(SECONDARY_LIMIT_MESSAGE, SECONDARY_LIMIT_DOCS, 403)),
					this.context.rateLimiter().peek(key));
			return (secondary.retryAfter() != null) ? limited.header("retry-after", secondary.retryAfter().toString())
					: limited;
		}
		BaseUrls urls = this.context.baseUrls(exchange);
		Reply reply = route(kind, segments, exchange, urls, key);
		if (reply.status() == 200) {
			String etag = "W/\"" + Http.sha256Hex(Objects.requireNonNull(reply.body())) + "\"";
			reply.header("etag", etag)
				.header("cache-control", "private, max-age=60, s-maxage=60")
				.header("vary", "Accept, Authorization, Cookie");
			if (Http.matchesIfNoneMatch(exchange.getRequestHeaders().getFirst("If-None-Match"), etag)) {
				this.context.counters().countNotModified();
				Reply notModified = Reply.empty(304)
					.header("etag", etag)
					.header("cache-control", "private, max-age=60, s-maxage=60")
					.header("vary", "Accept, Authorization, Cookie");
				return withQuota(notModified, this.context.rateLimiter().peek(key));
			}
		}
		if (kind == RequestKind.RATE_LIMIT) {
			return withQuota(reply, this.context.rateLimiter().peek(key));
		}
		Optional<Quota> quota = this.context.rateLimiter().tryAcquire(key);
		if (quota.isPresent()) {
			this.context.counters().countQuotaCounted();
		}
		if (quota.isEmpty()) {
			this.context.counters().countRateLimited();
			ObjectNode body = Json.object();
			body.put("message", rateLimitMessage(key));
			body.put("documentation_url", RATE_LIMIT_DOCS);
			return withQuota(Reply.json(403, body), this.context.rateLimiter().peek(key));
		}
		return withQuota(reply, quota.get());
	}

	private Reply route(RequestKind kind, List<String> segments, HttpExchange exchange, BaseUrls urls, ClientKey key) {
		Map<String, String> query = Http.query(exchange.getRequestURI().getRawQuery());
		UserDirectory users = this.context.users();
		return switch (kind) {
			case LIST -> {
				Optional<UserRecord> user = segments.get(0).equals("users") ? users.byLogin(segments.get(1))
						: parseId(segments.get(1)).flatMap(users::byId);
				yield user.map((found) -> list(found, query, urls))
					.orElseGet(() -> Reply.json(404, Json.error("Not Found", LIST_DOCS, 404)));
			}
			case GIST -> users.gist(segments.get(1))
				.map((location) -> Reply.json(200, GistJson.fullGist(urls, location.owner().user(), location.gist())))
				.orElseGet(() -> Reply.json(404, Json.error("Not Found", GIST_DOCS, 404)));
			case RATE_LIMIT -> Reply.json(200, rateLimitBody(this.context.rateLimiter().peek(key)));
			case OTHER -> {
				if (segments.size() == 2 && segments.get(0).equals("users")) {
					yield users.byLogin(segments.get(1))
						.map((user) -> Reply.json(200, GistJson.profile(urls, user)))
						.orElseGet(() -> Reply.json(404, Json.error("Not Found", USER_DOCS, 404)));
				}
				yield Reply.json(404, Json.error("Not Found", REST_DOCS, 404));
			}
			case RAW, GIT -> throw new IllegalStateException(kind + " requests are not served by the API handler");
		};
	}

	private Reply list(UserRecord user, Map<String, String> query, BaseUrls urls) {
		int perPage = clampedPerPage(query.get("per_page"));
		long page = positive(query.get("page")).orElse(1L);
		Instant since = since(query.get("since"));
		int[] matching = (since == null) ? null
				: IntStream.range(0, user.size()).filter((i) -> !user.updatedAt(i).isBefore(since)).toArray();
		int total = (matching != null) ? matching.length : user.size();
		long lastPage = Math.max(1, Math.ceilDiv(total, perPage));
		long from = (page - 1) * perPage;
		ArrayNode items = Json.MAPPER.createArrayNode();
		for (long i = from; i < Math.min(total, from + perPage); i++) {
			int index = (matching != null) ? matching[(int) i] : (int) i;
			items.add(GistJson.listItem(urls, user.user(), user.gist(index)));
		}
		// Actions a test attached to this page (gists added, deleted, edited) run now
		// that
		// the page is made: the client sees them from its next request on.
		if (page <= Integer.MAX_VALUE) {
			this.context.users().listingPageServed(user.login(), (int) page);
		}
		Reply reply = Reply.json(200, items);
		if (lastPage > 1 || page > 1) {
			reply.header("link", links(urls, user, query, perPage, page, lastPage));
		}
		return reply;
	}

	/**
	 * GitHub's {@code link} header, whose URLs name the user by numeric id.
	 */
	private static String links(BaseUrls urls, UserRecord user, Map<String, String> query, int perPage, long page,
			long lastPage) {
		Map<String, String> kept = new LinkedHashMap<>();
		if (query.containsKey("per_page")) {
			kept.put("per_page", Integer.toString(perPage));
		}
		if (query.get("since") != null && since(query.get("since")) != null) {
			kept.put("since", query.get("since"));
		}
		StringBuilder prefix = new StringBuilder(urls.api()).append("/user/").append(user.id()).append("/gists?");
		kept.forEach((name, value) -> prefix.append(name)
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8))
			.append('&'));
		List<String> links = new ArrayList<>();
		if (page > 1) {
			links.add(link(prefix, Math.min(page - 1, lastPage), "prev"));
		}
		if (page < lastPage) {
			links.add(link(prefix, page + 1, "next"));
			links.add(link(prefix, lastPage, "last"));
		}
		if (page > 1) {
			links.add(link(prefix, 1, "first"));
		}
		return String.join(", ", links);
	}

	private static String link(StringBuilder prefix, long page, String rel) {
		return "<" + prefix + "page=" + page + ">; rel=\"" + rel + "\"";
	}

	private static int clampedPerPage(@Nullable String value) {
		return positive(value).map((perPage) -> (int) Math.min(perPage, MAX_PER_PAGE)).orElse(DEFAULT_PER_PAGE);
	}

	private static Optional<Long> positive(@Nullable String value) {
		if (value == null) {
			return Optional.empty();
		}
		try {
			long parsed = Long.parseLong(value.trim());
			return (parsed > 0 && parsed < Integer.MAX_VALUE) ? Optional.of(parsed) : Optional.empty();
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	private static @Nullable Instant since(@Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			try {
				return OffsetDateTime.parse(value).toInstant();
			}
			catch (DateTimeParseException ignored) {
				return null;
			}
		}
	}

	private static Optional<Long> parseId(String value) {
		return value.chars().allMatch((c) -> c >= '0' && c <= '9') ? positive(value) : Optional.empty();
	}

	private static RequestKind kindOf(List<String> segments) {
		if (segments.size() == 3 && segments.get(2).equals("gists")
				&& (segments.get(0).equals("users") || segments.get(0).equals("user"))) {
			return RequestKind.LIST;
		}
		if (segments.size() == 2 && segments.get(0).equals("gists") && !segments.get(1).isEmpty()) {
			return RequestKind.GIST;
		}
		if (segments.size() == 1 && segments.get(0).equals("rate_limit")) {
			return RequestKind.RATE_LIMIT;
		}
		return RequestKind.OTHER;
	}

	private static String token(String authorization) {
		String trimmed = authorization.trim();
		int space = trimmed.indexOf(' ');
		if (space > 0) {
			String scheme = trimmed.substring(0, space).toLowerCase(Locale.ROOT);
			if (scheme.equals("bearer") || scheme.equals("token")) {
				return trimmed.substring(space + 1).trim();
			}
		}
		return trimmed;
	}

	private static String rateLimitMessage(ClientKey key) {
		if (key.authenticated()) {
			// GitHub names the token's owner; a stable number stands in for one.
			long userId = 10_000_000 + Math.floorMod(key.value().hashCode(), 90_000_000);
			return "API rate limit exceeded for user ID " + userId + ".";
		}
		return "API rate limit exceeded for " + key.value() + ". (But here's the good news: Authenticated requests"
				+ " get a higher rate limit. Check out the documentation for more details.)";
	}

	private static ObjectNode rateLimitBody(Quota quota) {
		ObjectNode body = Json.object();
		ObjectNode core = body.putObject("resources").putObject("core");
		putQuota(core, quota);
		putQuota(body.putObject("rate"), quota);
		return body;
	}

	private static void putQuota(ObjectNode node, Quota quota) {
		node.put("limit", quota.limit());
		node.put("used", quota.used());
		node.put("remaining", quota.remaining());
		node.put("reset", quota.resetEpochSeconds());
		node.put("resource", "core");
	}

	private static Reply withQuota(Reply reply, Quota quota) {
		return reply.header("x-github-api-version-selected", "2022-11-28")
			.header("x-ratelimit-limit", Integer.toString(quota.limit()))
			.header("x-ratelimit-remaining", Integer.toString(quota.remaining()))
			.header("x-ratelimit-reset", Long.toString(quota.resetEpochSeconds()))
			.header("x-ratelimit-used", Integer.toString(quota.used()))
			.header("x-ratelimit-resource", "core");
	}

	/**
	 * An error as GitHub's front end sends it: no rate limit headers, since the request
	 * never reached the API.
	 */
	private static Reply injectedError(int status) {
		String message = switch (status) {
			case 403, 429 -> SECONDARY_LIMIT_MESSAGE;
			case 503 -> "Service Unavailable";
			case 504 -> "We couldn't respond to your request in time. Sorry about that. Please try resubmitting"
					+ " your request and contact us if the problem persists.";
			default -> "Server Error";
		};
		return Reply.json(status, Json.error(message, REST_DOCS, status));
	}

	private String requestId() {
		return String.format(Locale.ROOT, "5151:%04X:%08X", ProcessHandle.current().pid() & 0xFFFF,
				this.requestIds.incrementAndGet());
	}

}
