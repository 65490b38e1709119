package io.gistgrep.worker.github;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The GitHub API budget one worker keeps alone, used by {@link RateBudget} while Redis is
 * away. It is conservative in three ways:
 * <ul>
 * <li>it knows what this worker saw: the {@code x-ratelimit-remaining} and reset of each
 * token's last answer to it (GitHub counts every worker's requests, so the figure is
 * true, late only by what the other workers have in flight), and the secondary limits and
 * revocations it met; it keeps these up to date while Redis works too;</li>
 * <li>it leaves {@link #RESERVE} requests of each token's window unspent, for what the
 * other workers, on local budgets as well, spend meanwhile;</li>
 * <li>it sends at most {@link #RATE} request per second per token from this worker, so
 * that workers that cannot see each other do not burst into a secondary limit.</li>
 * </ul>
 * A token with no answer seen yet may be used (its first answer tells), as with the
 * shared budget.
 */
final class LocalTokenBudget {

	/** Requests of a token's window left unspent while the budget is local. */
	static final int RESERVE = 100;

	/** Requests per second per token from one worker while the budget is local. */
	static final double RATE = 1.0;

	/** Waits for a slot up to this long are waited out in place. */
	static final Duration LOCAL_WAIT = Duration.ofSeconds(2);

	private final Map<String, TokenState> states = new ConcurrentHashMap<>();

	/** What GitHub last told this worker of a token. */
	void record(RateBudget.Credential credential, long remaining, long resetEpochSeconds) {
		state(credential).seen(remaining, resetEpochSeconds * 1000);
	}

	void block(RateBudget.Credential credential, Instant until) {
		state(credential).block(until.toEpochMilli());
	}

	void revoke(RateBudget.Credential credential, Instant until) {
		state(credential).revoke(until.toEpochMilli());
	}

	/**
	 * Reserves one request of the first token in {@code order} that may send soonest,
	 * waiting in place for its slot when that is near.
	 * @throws GitHubException.RateLimited when no token may send before some time
	 * @throws GitHubException.BadCredentials when every token is revoked
	 */
	RateBudget.Credential acquire(List<RateBudget.Credential> order) {
		long now = System.currentTimeMillis();
		RateBudget.Credential chosen = null;
		long slot = -1;
		synchronized (this) {
			long soonest = Long.MAX_VALUE;
			boolean allRevoked = true;
			for (RateBudget.Credential credential : order) {
				TokenState state = state(credential);
				long usableAt = state.usableAt(now);
				if (usableAt == Long.MAX_VALUE) {
					continue;
				}
				allRevoked = false;
				long at = Math.max(usableAt, state.pace.nextSlot(now));
				if (at < soonest) {
					soonest = at;
					chosen = credential;
				}
			}
			if (allRevoked) {
				throw new GitHubException.BadCredentials();
			}
			if (chosen != null) {
				TokenState state = state(chosen);
				slot = (state.usableAt(now) <= now) ? state.pace.reserve(now, LOCAL_WAIT.toMillis()) : -1;
				if (slot >= 0) {
					state.spend();
				}
			}
			if (slot < 0) {
				Instant until = Instant.ofEpochMilli(Math.max(soonest, now + 1000));
				throw new GitHubException.RateLimited(
						"Redis is away and this worker's local GitHub budget is spent until " + until, until);
			}
		}
		LocalPace.sleepUntil(slot);
		return chosen;
	}

	private TokenState state(RateBudget.Credential credential) {
		return this.states.computeIfAbsent(credential.id(), (id) -> new TokenState());
	}

	/** One token as this worker knows it; epoch milliseconds. */
	private static final class TokenState {

		private final LocalPace pace = new LocalPace(RATE);

		private long remaining = -1;

		private long reset;

		private long blocked;

		private long revoked;

		synchronized void seen(long remaining, long reset) {
			this.remaining = (reset == this.reset && this.remaining >= 0) ? Math.min(this.remaining, remaining)
					: remaining;
			this.reset = reset;
		}

		synchronized void block(long until) {
			this.blocked = Math.max(this.blocked, until);
		}

		synchronized void revoke(long until) {
			this.revoked = until;
		}

		synchronized void spend() {
			if (this.remaining > 0) {
				this.remaining--;
			}
		}

		/** When the token may be used; {@link Long#MAX_VALUE}: revoked. */
		synchronized long usableAt(long now) {
			if (this.revoked > now) {
				return Long.MAX_VALUE;
			}
			long at = now;
			if (this.blocked > now) {
				at = this.blocked;
			}
			boolean known = this.remaining >= 0 && this.reset > now;
			if (known && this.remaining <= RESERVE) {
				at = Math.max(at, this.reset);
			}
			return at;
		}

	}

}
