package io.gistgrep.worker.github;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The content hosts' budget one worker keeps alone, used by {@link HostBudget} while
 * Redis is away. Not knowing how many workers share a host, it is conservative: each
 * worker sends at most {@code gistgrep.github.raw.min-rate} requests per second to a host
 * (the floor the shared rate is never halved below, so the rate the operator deems safe
 * at all times), with as many in flight as the shared cap scaled by the same ratio
 * ({@code max-concurrency × min-rate / rate}, at least one); a throttle backs the host
 * off for this worker for {@code cool-down}.
 */
final class LocalHostBudget {

	private final RawHostProperties properties;

	private final int concurrency;

	private final Map<String, Host> hosts = new ConcurrentHashMap<>();

	LocalHostBudget(RawHostProperties properties) {
		this.properties = properties;
		this.concurrency = Math.max(1,
				(int) Math.floor(properties.maxConcurrency() * properties.minRate() / properties.rate()));
	}

	int concurrency() {
		return this.concurrency;
	}

	/**
	 * Takes a slot of {@code host} and waits for its pace.
	 * @return the slot, to {@link Semaphore#release} when the request is done
	 * @throws GitHubException.RateLimited when the host is backed off, or the wait would
	 * be long
	 */
	Semaphore acquire(String host) {
		Host state = host(host);
		long now = System.currentTimeMillis();
		if (state.coolUntil > now) {
			throw HostBudget.parked(host, "is backed off after a throttle (local budget: Redis is away)",
					Instant.ofEpochMilli(state.coolUntil));
		}
		try {
			if (!state.slots.tryAcquire(HostBudget.SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw HostBudget.parked(host, "has every local slot in use (Redis is away)",
						Instant.ofEpochMilli(now + 1000));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new GitHubException.Transient("Interrupted while waiting for a request slot", ex);
		}
		long slot = state.pace.reserve(System.currentTimeMillis(), HostBudget.LOCAL_WAIT.toMillis());
		if (slot < 0) {
			state.slots.release();
			throw HostBudget.parked(host, "has no local request left in this second (Redis is away)",
					Instant.ofEpochMilli(state.pace.nextSlot(System.currentTimeMillis())));
		}
		try {
			LocalPace.sleepUntil(slot);
		}
		catch (RuntimeException ex) {
			state.slots.release();
			throw ex;
		}
		return state.slots;
	}

	/** The host throttled this worker: backs it off locally; until when. */
	Instant throttled(String host) {
		Host state = host(host);
		long until = System.currentTimeMillis() + this.properties.coolDown().toMillis();
		synchronized (state) {
			state.coolUntil = Math.max(state.coolUntil, until);
		}
		return Instant.ofEpochMilli(state.coolUntil);
	}

	private Host host(String host) {
		return this.hosts.computeIfAbsent(host,
				(h) -> new Host(new LocalPace(this.properties.minRate()), new Semaphore(this.concurrency)));
	}

	private static final class Host {

		private final LocalPace pace;

		private final Semaphore slots;

		private volatile long coolUntil;

		Host(LocalPace pace, Semaphore slots) {
			this.pace = pace;
			this.slots = slots;
		}

	}

}
