package io.gistgrep.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * GitHub's primary rate limit: each client key (a token, or an IP address without one)
 * gets an hourly quota, counted from its first request.
 */
final class RateLimiter {

	private static final Duration WINDOW = Duration.ofHours(1);

	/**
	 * Who a request counts against.
	 *
	 * @param value the token or the IP address
	 * @param authenticated whether {@code value} is a token
	 */
	record ClientKey(String value, boolean authenticated) {

		private String mapKey() {
			return (this.authenticated ? "token:" : "ip:") + this.value;
		}

	}

	/**
	 * The state of a key's window, as the {@code x-ratelimit-*} headers report it.
	 */
	record Quota(int limit, int remaining, int used, long resetEpochSeconds) {
	}

	/**
	 * What {@link RateLimiter#setQuota} imposed, kept so that keys first seen afterwards
	 * are bound by it too.
	 */
	private record Imposed(int remaining, Instant resetAt) {
	}

	private final Clock clock;

	private final int tokenLimit;

	private final int addressLimit;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	private volatile @Nullable Imposed imposed;

	private final Set<String> revoked = ConcurrentHashMap.newKeySet();

	RateLimiter(Clock clock, int tokenLimit, int addressLimit) {
		this.clock = clock;
		this.tokenLimit = tokenLimit;
		this.addressLimit = addressLimit;
	}

	/**
	 * The key's quota, without spending any of it.
	 */
	Quota peek(ClientKey key) {
		return window(key).peek(this.clock.instant());
	}

	/**
	 * Spends one request of the key's quota.
	 * @return the quota after spending, or empty if nothing was left
	 */
	Optional<Quota> tryAcquire(ClientKey key) {
		return window(key).tryAcquire(this.clock.instant());
	}

	/**
	 * Revokes a token: from now on GitHub answers 401 {@code Bad credentials} to it.
	 */
	void revoke(String token) {
		this.revoked.add(token);
	}

	boolean isRevoked(String token) {
		return this.revoked.contains(token);
	}

	synchronized void setQuota(int remaining, Duration resetIn) {
		if (remaining < 0) {
			throw new IllegalArgumentException("The remaining quota cannot be negative");
		}
		Instant resetAt = this.clock.instant().plus(resetIn);
		this.imposed = new Imposed(remaining, resetAt);
		this.windows.values().forEach((window) -> window.set(remaining, resetAt));
	}

	private Window window(ClientKey key) {
		return this.windows.computeIfAbsent(key.mapKey(), (mapKey) -> newWindow(key));
	}

	private synchronized Window newWindow(ClientKey key) {
		int limit = key.authenticated() ? this.tokenLimit : this.addressLimit;
		Instant now = this.clock.instant();
		Imposed imposed = this.imposed;
		if (imposed != null && now.isBefore(imposed.resetAt())) {
			return new Window(limit, imposed.remaining(), imposed.resetAt());
		}
		return new Window(limit, limit, now.plus(WINDOW));
	}

	private static final class Window {

		private final int limit;

		private int remaining;

		private Instant resetAt;

		Window(int limit, int remaining, Instant resetAt) {
			this.limit = limit;
			this.remaining = remaining;
			this.resetAt = resetAt;
		}

		synchronized Quota peek(Instant now) {
			rollOver(now);
			return quota();
		}

		synchronized Optional<Quota> tryAcquire(Instant now) {
			rollOver(now);
			if (this.remaining <= 0) {
				return Optional.empty();
			}
			this.remaining--;
			return Optional.of(quota());
		}

		synchronized void set(int remaining, Instant resetAt) {
			this.remaining = remaining;
			this.resetAt = resetAt;
		}

		private void rollOver(Instant now) {
			if (!now.isBefore(this.resetAt)) {
				this.remaining = this.limit;
				this.resetAt = now.plus(WINDOW);
			}
		}

		private Quota quota() {
			// Round up, so that a client that waits until the advertised second finds the
			// window reset.
			long resetSeconds = Math.ceilDiv(this.resetAt.toEpochMilli(), 1000L);
			return new Quota(this.limit, this.remaining, Math.max(0, this.limit - this.remaining), resetSeconds);
		}

	}

}
