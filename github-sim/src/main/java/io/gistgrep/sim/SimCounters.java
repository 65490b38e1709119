package io.gistgrep.sim;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live, thread-safe counts of what the simulator served. Control requests
 * ({@code /_sim/...}) are not counted.
 */
public final class SimCounters {

	private final LongAdder apiRequests = new LongAdder();

	private final LongAdder listRequests = new LongAdder();

	private final LongAdder gistRequests = new LongAdder();

	private final LongAdder rawRequests = new LongAdder();

	private final LongAdder rawRequestsWithAuthorization = new LongAdder();

	private final LongAdder notModified = new LongAdder();

	private final LongAdder rateLimited = new LongAdder();

	private final LongAdder injectedFaults = new LongAdder();

	private final LongAdder gitFetches = new LongAdder();

	private final LongAdder gitRequestsWithAuthorization = new LongAdder();

	private final LongAdder quotaCounted = new LongAdder();

	private final Map<String, LongAdder> byToken = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> byKindAndStatus = new ConcurrentHashMap<>();

	private final PoliteCounters polite = new PoliteCounters();

	/**
	 * One cool-down of the raw host ({@link GitHubSim#setRawThrottle}).
	 *
	 * @param start when the request that exceeded the rate arrived
	 * @param end when raw requests are served again
	 * @param requestsDuring the raw requests that arrived after {@code start} and before
	 * {@code end}, all answered 429 (the request that started it is not among them)
	 */
	public record CoolDown(Instant start, Instant end, int requestsDuring) {
	}

	SimCounters() {
	}

	/**
	 * Requests to the API listener, whatever their outcome.
	 * @return the count
	 */
	public long apiRequests() {
		return this.apiRequests.sum();
	}

	/**
	 * Gist listing requests ({@code /users/{login}/gists} and {@code /user/{id}/gists}).
	 * @return the count
	 */
	public long listRequests() {
		return this.listRequests.sum();
	}

	/**
	 * Requests for one gist ({@code GET /gists/{id}}).
	 * @return the count
	 */
	public long gistRequests() {
		return this.gistRequests.sum();
	}

	/**
	 * Requests to the raw content listener.
	 * @return the count
	 */
	public long rawRequests() {
		return this.rawRequests.sum();
	}

	/**
	 * Raw content requests that carried an {@code Authorization} header, which leaks a
	 * token to a host that does not need it.
	 * @return the count
	 */
	public long rawRequestsWithAuthorization() {
		return this.rawRequestsWithAuthorization.sum();
	}

	/**
	 * API requests answered {@code 304 Not Modified}.
	 * @return the count
	 */
	public long notModified() {
		return this.notModified.sum();
	}

	/**
	 * API requests refused with {@code 403} because the quota was spent.
	 * @return the count
	 */
	public long rateLimited() {
		return this.rateLimited.sum();
	}

	/**
	 * Requests on either listener answered with an injected error.
	 * @return the count
	 */
	public long injectedFaults() {
		return this.injectedFaults.sum();
	}

	/**
	 * Fetches of a gist's git repository ({@code POST git-upload-pack} on its
	 * {@code git_pull_url}): one per clone.
	 * @return the count
	 */
	public long gitFetches() {
		return this.gitFetches.sum();
	}

	/**
	 * Requests of a gist's git repository (ref advertisement or upload-pack) that carried
	 * an {@code Authorization} header, which leaks a token: tokens are for the API only.
	 * @return the count
	 */
	public long gitRequestsWithAuthorization() {
		return this.gitRequestsWithAuthorization.sum();
	}

	/**
	 * Requests of one kind that ended with one status.
	 * @param kind one of {@code list}, {@code gist}, {@code raw}, {@code rate_limit},
	 * {@code git} (clones of {@code git_pull_url}, not API requests), {@code other}
	 * @param status the final HTTP status
	 * @return the count
	 */
	public long requests(String kind, int status) {
		LongAdder adder = this.byKindAndStatus.get(key(kind, status));
		return (adder != null) ? adder.sum() : 0;
	}

	/**
	 * Raw host requests (raw files and git) answered 429 by the raw throttle.
	 * @return the count
	 */
	public long rawThrottled() {
		return this.polite.rawThrottled.sum();
	}

	/**
	 * The raw host's cool-downs since the last reset, the one running included.
	 * @return the cool-downs, oldest first
	 */
	public List<CoolDown> rawCoolDowns() {
		return this.polite.coolDowns();
	}

	/**
	 * The most raw host requests (raw files and git, throttled or not) seen in any
	 * sliding second.
	 * @return the count
	 */
	public int maxRawRequestsPerSecond() {
		return this.polite.maxRawPerSecond();
	}

	/**
	 * Secondary rate limits started by a burst or by concurrency
	 * ({@link GitHubSim#setSecondaryLimitTriggers}), not those set by control.
	 * @return the count
	 */
	public long secondaryLimitsTriggered() {
		return this.polite.secondaryLimitsTriggered.sum();
	}

	/**
	 * API requests refused with 403 for want of a {@code User-Agent}.
	 * @return the count
	 */
	public long missingUserAgent() {
		return this.polite.missingUserAgent.sum();
	}

	/**
	 * Faults injected into requests of one target, by rate or by
	 * {@link GitHubSim#failNext}.
	 * @param target the target
	 * @return the count
	 */
	public long injectedFaults(Target target) {
		return this.polite.injected(target);
	}

	/**
	 * Responses cut short by {@link Fault#RESET_MID_BODY}, on any target.
	 * @return the count
	 */
	public long injectedResets() {
		return this.polite.injectedResets.sum();
	}

	PoliteCounters polite() {
		return this.polite;
	}

	void reset() {
		this.polite.reset();
		this.apiRequests.reset();
		this.listRequests.reset();
		this.gistRequests.reset();
		this.rawRequests.reset();
		this.rawRequestsWithAuthorization.reset();
		this.notModified.reset();
		this.rateLimited.reset();
		this.quotaCounted.reset();
		this.byToken.clear();
		this.injectedFaults.reset();
		this.gitFetches.reset();
		this.gitRequestsWithAuthorization.reset();
		this.byKindAndStatus.values().forEach(LongAdder::reset);
	}

	void apiRequest(RequestKind kind) {
		this.apiRequests.increment();
		switch (kind) {
			case LIST -> this.listRequests.increment();
			case GIST -> this.gistRequests.increment();
			default -> {
			}
		}
	}

	void rawRequest(boolean withAuthorization) {
		this.rawRequests.increment();
		if (withAuthorization) {
			this.rawRequestsWithAuthorization.increment();
		}
	}

	/**
	 * API requests that spent a request of a primary quota (not a 304, not a refusal).
	 * @return the count
	 */
	public long quotaCounted() {
		return this.quotaCounted.sum();
	}

	/**
	 * API requests that carried {@code token}, whatever their outcome.
	 * @param token the token
	 * @return the count
	 */
	public long requestsWithToken(String token) {
		LongAdder adder = this.byToken.get(token);
		return (adder != null) ? adder.sum() : 0;
	}

	void countQuotaCounted() {
		this.quotaCounted.increment();
	}

	void countTokenRequest(String token) {
		this.byToken.computeIfAbsent(token, (key) -> new LongAdder()).increment();
	}

	void countNotModified() {
		this.notModified.increment();
	}

	void countRateLimited() {
		this.rateLimited.increment();
	}

	void countInjectedFault(Target target, Fault fault) {
		this.injectedFaults.increment();
		this.polite.injected(target, fault);
	}

	void countGitFetch() {
		this.gitFetches.increment();
	}

	void countGitRequest(boolean withAuthorization) {
		if (withAuthorization) {
			this.gitRequestsWithAuthorization.increment();
		}
	}

	void completed(RequestKind kind, int status) {
		this.byKindAndStatus.computeIfAbsent(key(kind.label(), status), (key) -> new LongAdder()).increment();
	}

	Map<String, Object> snapshot() {
		Map<String, Object> snapshot = new TreeMap<>();
		snapshot.put("api_requests", apiRequests());
		snapshot.put("list_requests", listRequests());
		snapshot.put("gist_requests", gistRequests());
		snapshot.put("raw_requests", rawRequests());
		snapshot.put("raw_requests_with_authorization", rawRequestsWithAuthorization());
		snapshot.put("not_modified", notModified());
		snapshot.put("rate_limited", rateLimited());
		snapshot.put("quota_counted", quotaCounted());
		snapshot.put("injected_faults", injectedFaults());
		snapshot.put("git_fetches", gitFetches());
		Map<String, Map<String, Long>> requests = new TreeMap<>();
		this.byKindAndStatus.forEach((key, adder) -> {
			long count = adder.sum();
			if (count > 0) {
				String[] kindAndStatus = key.split(" ");
				requests.computeIfAbsent(kindAndStatus[0], (kind) -> new TreeMap<>()).put(kindAndStatus[1], count);
			}
		});
		snapshot.put("requests", requests);
		this.polite.addTo(snapshot);
		return snapshot;
	}

	private static String key(String kind, int status) {
		return kind + " " + status;
	}

}
