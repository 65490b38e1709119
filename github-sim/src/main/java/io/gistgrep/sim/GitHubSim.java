package io.gistgrep.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * A GitHub imitation serving the gist REST API on {@code 127.0.0.1} and, on a second
 * address ({@code 127.0.0.2} unless {@link SimOptions#contentBindAddress()} says
 * otherwise), raw gist content like {@code gist.githubusercontent.com} and the gists' git
 * repositories like {@code gist.github.com}: a client must allow those hosts, as it must
 * allow GitHub's. Start one per test, or run {@link Main} for demos:
 *
 * <pre>
 * try (GitHubSim github = GitHubSim.start(SimOptions.defaults())) {
 *     github.addUser(SyntheticUsers.generate("octocat", 250, 1));
 *     // point the client at github.apiUrl()
 * }
 * </pre>
 *
 * Users named {@code synthetic-<n>} exist without being added, with {@code n} generated
 * gists.
 */
public final class GitHubSim implements AutoCloseable {

	private static final int BACKLOG = 1024;

	private final HttpServer api;

	private final HttpServer raw;

	private final ExecutorService executor;

	private final SimContext context;

	private GitHubSim(HttpServer api, HttpServer raw, ExecutorService executor, SimContext context) {
		this.api = api;
		this.raw = raw;
		this.executor = executor;
		this.context = context;
	}

	/**
	 * Starts the simulator on {@code 127.0.0.1}.
	 * @param options the ports, quotas, faults and seed
	 * @return the running simulator
	 */
	public static GitHubSim start(SimOptions options) {
		return start(options, InetAddress.ofLiteral("127.0.0.1"));
	}

	static GitHubSim start(SimOptions options, InetAddress bindAddress) {
		// The JDK server writes headers and body separately, so without TCP_NODELAY each
		// small response waits a few milliseconds on Nagle's algorithm. The property is
		// read once, when the JVM's first HttpServer starts.
		if (System.getProperty("sun.net.httpserver.nodelay") == null) {
			System.setProperty("sun.net.httpserver.nodelay", "true");
		}
		InetAddress contentAddress = InetAddress.ofLiteral(options.contentBindAddress());
		ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
		HttpServer api = null;
		try {
			api = HttpServer.create(new InetSocketAddress(bindAddress, options.apiPort()), BACKLOG);
			HttpServer raw = HttpServer.create(new InetSocketAddress(contentAddress, options.rawPort()), BACKLOG);
			int rawPort = raw.getAddress().getPort();
			String apiUrl = "http://127.0.0.1:" + api.getAddress().getPort();
			// A wildcard content address follows the host the client used; a specific one
			// is the content host.
			String contentUrl = (options.rawBaseUrl() != null) ? options.rawBaseUrl()
					: contentAddress.isAnyLocalAddress() ? null : "http://" + hostOf(contentAddress) + ":" + rawPort;
			String rawUrl = (contentUrl != null) ? contentUrl : "http://127.0.0.1:" + rawPort;
			SimCounters counters = new SimCounters();
			FaultInjector faults = new FaultInjector(options.faults());
			SimContext context = new SimContext(new UserDirectory(options.seed()),
					new RateLimiter(Clock.systemUTC(), options.quotaPerHour(), options.unauthenticatedQuotaPerHour()),
					faults, counters, apiUrl, rawUrl, contentUrl, rawPort, new RawThrottle(counters.polite()),
					new SecondaryTriggers(faults, counters.polite()), options.requireUserAgent());
			api.createContext("/", new ApiHandler(context));
			api.createContext("/_sim/", new ControlHandler(context));
			GitHandler git = new GitHandler(context);
			RawHandler files = new RawHandler(context);
			raw.createContext("/", (exchange) -> {
				if (GitHandler.isRepositoryPath(exchange.getRequestURI().getRawPath())) {
					git.handle(exchange);
				}
				else {
					files.handle(exchange);
				}
			});
			api.setExecutor(executor);
			raw.setExecutor(executor);
			api.start();
			raw.start();
			return new GitHubSim(api, raw, executor, context);
		}
		catch (IOException ex) {
			if (api != null) {
				api.stop(0);
			}
			executor.shutdownNow();
			throw new UncheckedIOException("Could not bind the simulator's listeners", ex);
		}
	}

	private static String hostOf(InetAddress address) {
		String literal = address.getHostAddress();
		return literal.contains(":") ? "[" + literal + "]" : literal;
	}

	/**
	 * The API base URL, without a trailing slash.
	 * @return for example {@code http://127.0.0.1:41234}
	 */
	public String apiUrl() {
		return this.context.apiUrl();
	}

	/**
	 * The raw content base URL advertised in {@code raw_url}, without a trailing slash.
	 * @return for example {@code http://127.0.0.2:41235}
	 */
	public String rawBaseUrl() {
		return this.context.rawUrl();
	}

	/**
	 * The base of {@code git_pull_url}s, without a trailing slash: the raw content
	 * listener, which serves the repositories under {@code /git/{id}.git}.
	 * @return for example {@code http://127.0.0.2:41235}
	 */
	public String gitBaseUrl() {
		return this.context.rawUrl();
	}

	/**
	 * The host name of {@code raw_url}s, which a client must allow.
	 * @return for example {@code 127.0.0.2}, never the API's host unless configured so
	 */
	public String rawHost() {
		return URI.create(rawBaseUrl()).getHost();
	}

	/**
	 * The host name of {@code git_pull_url}s, which a client must allow.
	 * @return for example {@code 127.0.0.2}
	 */
	public String gitHost() {
		return URI.create(gitBaseUrl()).getHost();
	}

	/**
	 * Adds a user, or replaces the one with the same login.
	 * @param user the user
	 * @return the same user
	 */
	public SimUser addUser(SimUser user) {
		this.context.users().put(user);
		return user;
	}

	/**
	 * The user with a login, ignoring case. A {@code synthetic-<n>} login is materialised
	 * if nobody added it, as the API would.
	 * @param login the login
	 * @return the user, or empty
	 */
	public Optional<SimUser> user(String login) {
		return this.context.users().byLogin(login).map(UserRecord::user);
	}

	/**
	 * Adds the users of a fixture file.
	 * @param jsonFile the fixture
	 */
	public void loadFixtures(Path jsonFile) {
		try (InputStream input = Files.newInputStream(jsonFile)) {
			addAll(Fixtures.read(input, jsonFile.toString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read fixture " + jsonFile, ex);
		}
	}

	/**
	 * Adds the users of a fixture.
	 * @param json the fixture, which this method does not close
	 */
	public void loadFixtures(InputStream json) {
		addAll(Fixtures.read(json, "stream"));
	}

	/**
	 * Adds the users of a fixture on the classpath, such as
	 * {@code fixtures/justdionysus.json}.
	 * @param classpathResource the resource, with or without a {@code classpath:} prefix
	 */
	public void loadFixtureResource(String classpathResource) {
		String name = classpathResource.replaceFirst("^classpath:", "").replaceFirst("^/+", "");
		try (InputStream input = GitHubSim.class.getClassLoader().getResourceAsStream(name)) {
			if (input == null) {
				throw new IllegalArgumentException("No fixture " + classpathResource + " on the classpath");
			}
			addAll(Fixtures.read(input, name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read fixture " + classpathResource, ex);
		}
	}

	/**
	 * The live counters.
	 * @return the counters, which keep counting
	 */
	public SimCounters counters() {
		return this.context.counters();
	}

	public void resetCounters() {
		this.context.counters().reset();
	}

	/**
	 * The injected faults in force, as set at start, by {@link #setFaults} or by the
	 * control endpoint {@code POST /_sim/latency}.
	 * @return the faults
	 */
	public SimFaults faults() {
		return this.context.faults().faults();
	}

	/**
	 * Replaces the injected faults, restarting their random sequences.
	 * @param faults the faults from now on
	 */
	public void setFaults(SimFaults faults) {
		this.context.faults().replace(faults);
	}

	/**
	 * Sets the remaining quota and the reset time of every client key's current window,
	 * including keys first seen before that reset. After the reset each key gets its full
	 * hourly quota again.
	 * @param remaining the requests left
	 * @param resetIn the time until the window resets
	 */
	public void setQuota(int remaining, Duration resetIn) {
		this.context.rateLimiter().setQuota(remaining, resetIn);
	}

	/**
	 * Starts a secondary rate limit: every API request is answered 403 with GitHub's
	 * "secondary rate limit" message and the usual {@code x-ratelimit-*} headers (budget
	 * left), plus {@code retry-after} when given.
	 * @param duration how long the limit lasts; null for ever, zero to lift it
	 * @param retryAfter the {@code retry-after} to send, in whole seconds; null for none
	 */
	public void setSecondaryLimit(@Nullable Duration duration, @Nullable Duration retryAfter) {
		this.context.faults().secondaryLimit(duration, (retryAfter != null) ? retryAfter.toSeconds() : null);
	}

	/**
	 * Revokes a token: from now on every API request with it is answered 401
	 * {@code {"message":"Bad credentials"}}, as GitHub answers a revoked token.
	 * @param token the token
	 */
	public void revokeToken(String token) {
		this.context.rateLimiter().revoke(token);
	}

	/**
	 * Throttles the raw host (raw files and git together) as GitHub throttles heavy
	 * downloads: requests are counted over a sliding second, and the one that would
	 * exceed the rate starts a cool-down during which every raw request, that one
	 * included, is answered {@code 429} with the body {@code 429: Too Many Requests} and
	 * no {@code retry-after}. {@link SimCounters#rawCoolDowns()} records each cool-down.
	 * @param requestsPerSecond the rate; zero lifts the throttle and ends any cool-down
	 * @param coolDown how long a cool-down lasts
	 */
	public void setRawThrottle(int requestsPerSecond, Duration coolDown) {
		setRawThrottle(requestsPerSecond, coolDown, false);
	}

	/**
	 * {@link #setRawThrottle(int, Duration)}, optionally naming the rest of the cool-down
	 * in {@code retry-after}, which GitHub's raw host does not do.
	 * @param requestsPerSecond the rate; zero lifts the throttle and ends any cool-down
	 * @param coolDown how long a cool-down lasts
	 * @param retryAfter whether the 429s carry {@code retry-after}
	 */
	public void setRawThrottle(int requestsPerSecond, Duration coolDown, boolean retryAfter) {
		this.context.rawThrottle().set(requestsPerSecond, coolDown, retryAfter);
	}

	/**
	 * Starts secondary rate limits as GitHub does: an API request that makes more than
	 * {@code maxConcurrent} requests in flight, or more than {@code maxPerMinute} in a
	 * sliding minute, starts a secondary limit of {@code penalty}, answered exactly as
	 * {@link #setSecondaryLimit} answers. Requests during a limit neither count nor start
	 * another. {@link SimCounters#secondaryLimitsTriggered()} counts them.
	 * @param maxConcurrent requests allowed in flight, 0 for no limit
	 * @param maxPerMinute requests allowed in a sliding minute, 0 for no limit
	 * @param penalty how long a triggered limit lasts
	 * @param retryAfter the {@code retry-after} to send, in whole seconds; null for none
	 */
	public void setSecondaryLimitTriggers(int maxConcurrent, int maxPerMinute, Duration penalty,
			@Nullable Duration retryAfter) {
		this.context.secondaryTriggers().set(maxConcurrent, maxPerMinute, penalty, retryAfter);
	}

	/**
	 * Injects a fault into the next requests of a target, whatever the random fault rates
	 * draw; faults queued for one target are used in order.
	 * @param target the API, the raw host's files, or the gists' git repositories
	 * @param fault a 500 or a connection reset in the middle of the body
	 * @param times how many requests in a row
	 */
	public void failNext(Target target, Fault fault, int times) {
		this.context.faults().failNext(target, fault, times);
	}

	@Override
	public void close() {
		this.api.stop(0);
		this.raw.stop(0);
		this.executor.shutdownNow();
	}

	private void addAll(List<SimUser> users) {
		users.forEach(this::addUser);
	}

	// ---- Gists that change during a listing (listing consistency) ----
	// GitHub lists a user's gists newest created first: an added gist goes to the top of
	// the first page and shifts every later one down; a deleted gist shifts the ones
	// after
	// it up; an edit keeps the gist's place but gives its files new blob SHAs (so new
	// raw_url values) and a new updated_at. See GistChanges.

	/**
	 * Adds a gist to a user's gists; listings show it in creation order (newest first).
	 * @param login the user's login
	 * @param gist the gist, whose id no gist of the simulator has
	 * @return the gist
	 */
	public SimGist addGist(String login, SimGist gist) {
		return new GistChanges(this.context.users()).add(login, gist);
	}

	/**
	 * Deletes one of a user's gists: listings, the gist and its raw files answer as if it
	 * never was.
	 * @param login the user's login
	 * @param gistId the gist's id
	 */
	public void deleteGist(String login, String gistId) {
		new GistChanges(this.context.users()).delete(login, gistId);
	}

	/**
	 * Edits a gist: a line is appended to its first file, which gives that file a new
	 * blob SHA and raw URL; {@code updated_at} becomes now.
	 * @param login the user's login
	 * @param gistId the gist's id
	 * @return the gist as edited
	 */
	public SimGist editGist(String login, String gistId) {
		return new GistChanges(this.context.users()).edit(login, gistId);
	}

	/**
	 * Edits a gist: its files become {@code files}, and {@code updated_at} becomes now.
	 * @param login the user's login
	 * @param gistId the gist's id
	 * @param files the gist's new files
	 * @return the gist as edited
	 */
	public SimGist editGist(String login, String gistId, List<SimFile> files) {
		return new GistChanges(this.context.users()).edit(login, gistId, (gist) -> files);
	}

	/**
	 * Runs {@code action} once, when page {@code page} of the user's listing has been
	 * made and before it is sent (whatever the query's {@code per_page}), so a test can
	 * change the user's gists between two pages deterministically: the client sees the
	 * change from its next request on. Several actions on one page run in order.
	 * @param login the user's login
	 * @param page the 1-based page number
	 * @param action what to do, for example {@code () -> github.deleteGist(...)}
	 */
	public void onListingPage(String login, int page, Runnable action) {
		this.context.users().onListingPage(login, page, action);
	}

}
