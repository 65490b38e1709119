package io.gistgrep.worker.github;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.gistgrep.worker.redis.RedisGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The budget of each content host (raw files, git), shared by every worker in Redis: a
 * request is sent only under a lease that took a token of the host's rate and one of its
 * concurrency slots ({@link HostScripts}). The rate adapts AIMD-style: a throttle
 * ({@code 429}, or {@code 403} from a content host) halves it and backs the whole host
 * off for every worker, with cool-downs that double while throttles persist, capped and
 * jittered; good answers raise it slowly back. The takes and give-backs of leases that
 * many requests make at once go to Redis together ({@link BudgetCalls}). Hand-written
 * because no library shares an adaptive rate and a back-off across processes through
 * Redis (Bucket4j's Redis buckets have a fixed rate and no concurrency cap).
 * <p>
 * A short wait for a token or a slot is waited out here, on the caller's virtual thread;
 * a longer one, and every cool-down, is thrown as {@link GitHubException.RateLimited}, so
 * that the task is parked in the delay queues instead of holding a consumer.
 * <p>
 * While Redis is away ({@link RedisGuard}), each worker keeps a conservative budget of
 * its own ({@link LocalHostBudget}); the shared one is used again as soon as Redis
 * answers.
 */
@Component
class HostBudget {

	private static final String PREFIX = "gistgrep:github:host:";

	private static final String USE = "budget-host";

	/** Waits for a token up to this long are waited out in place. */
	static final Duration LOCAL_WAIT = Duration.ofSeconds(2);

	/** How long to wait in place for a slot before parking the task. */
	static final Duration SLOT_WAIT = Duration.ofSeconds(5);

	/**
	 * A clone's lease: JGit's timeout bounds each read, not the clone, so a slot taken
	 * for a clone is kept this long at most when its worker dies (one slot of the
	 * host's).
	 */
	static final Duration CLONE_LEASE = Duration.ofMinutes(30);

	/** Parked work comes back within this share of its wait, not all at once. */
	private static final double PARK_SPREAD = 0.2;

	private static final Logger log = LoggerFactory.getLogger(HostBudget.class);

	private final StringRedisTemplate redis;

	private final RawHostProperties properties;

	private final long leaseMillis;

	private final long keyTtlMillis;

	private final MeterRegistry meters;

	private final Map<String, HostGauges> gauges = new ConcurrentHashMap<>();

	private final RedisGuard guard;

	private final LocalHostBudget local;

	private final BudgetCalls calls;

	/**
	 * Shared leases whose release failed (Redis went away while they were held): given
	 * back as soon as Redis answers again, so that their slots are not held for every
	 * worker until the leases lapse. One older than a lease is dropped: it has lapsed.
	 */
	private final Queue<PendingRelease> pending = new ConcurrentLinkedQueue<>();

	private record PendingRelease(String host, String id, long sentAt, long failedAt) {

	}

	HostBudget(StringRedisTemplate redis, RawHostProperties properties, GitHubProperties github, MeterRegistry meters,
			RedisGuard guard) {
		this.redis = redis;
		this.guard = guard;
		this.local = new LocalHostBudget(properties);
		this.properties = properties;
		// A lease outlives the exchange's deadline (connect + read, body included), so a
		// slot is only ever reclaimed from a worker that died.
		this.leaseMillis = 4 * (github.connectTimeout().toMillis() + github.readTimeout().toMillis());
		this.keyTtlMillis = Math.max(Duration.ofHours(1).toMillis(), 2 * properties.maxCoolDown().toMillis());
		this.meters = meters;
		this.calls = new BudgetCalls(redis, properties, this.keyTtlMillis, this::gauges);
	}

	/**
	 * Takes a token and a slot of {@code host}, waiting in place for a short while.
	 * @param host the host, with its port when it is not the scheme's default
	 * @throws GitHubException.RateLimited when the host is backed off, or the wait would
	 * be long
	 */
	Lease acquire(String host) {
		return acquire(host, Duration.ofMillis(this.leaseMillis));
	}

	/**
	 * Takes a token and a slot of {@code host} for an exchange that may last up to
	 * {@code lease} (a clone), as {@link #acquire(String)}; while Redis is away, of this
	 * worker's conservative local budget instead.
	 */
	Lease acquire(String host, Duration lease) {
		return this.guard.call(USE, () -> shared(host, lease), () -> new Lease(host, this.local.acquire(host)));
	}

	private Lease shared(String host, Duration lease) {
		releasePending();
		List<String> keys = keys(host);
		long deadline = System.nanoTime() + SLOT_WAIT.toNanos();
		while (true) {
			String id = UUID.randomUUID().toString();
			BudgetCalls.Taken taken = this.calls.take(host, id, lease.toMillis());
			long outcome = taken.outcome();
			long value = taken.value();
			if (outcome == 1) {
				return new Lease(host, keys, id, value);
			}
			if (outcome == -1) {
				gauges(host).coolingUntil(value);
				throw parked(host, "is backed off after a throttle", Instant.ofEpochMilli(value));
			}
			long waitMillis = (outcome == -2) ? value : ThreadLocalRandom.current().nextLong(20, 80);
			if (waitMillis > LOCAL_WAIT.toMillis() || System.nanoTime() + waitMillis * 1_000_000 > deadline) {
				String why = (outcome == -2) ? "has no request left in this second" : "has every slot in use";
				throw parked(host, why, Instant.now().plusMillis(Math.max(waitMillis, 1000)));
			}
			LocalPace.sleepUntil(System.currentTimeMillis() + waitMillis);
		}
	}

	/**
	 * A held token and slot; close it (after {@link #answered} or not) to give it back.
	 */
	final class Lease implements AutoCloseable {

		private final String host;

		private final List<String> keys;

		private final String id;

		private final long sentAt;

		/** The slot of a lease of the local budget; null: a lease of the shared one. */
		private final @Nullable Semaphore localSlot;

		private boolean settled;

		private Lease(String host, List<String> keys, String id, long sentAt) {
			this.host = host;
			this.keys = keys;
			this.id = id;
			this.sentAt = sentAt;
			this.localSlot = null;
		}

		private Lease(String host, Semaphore localSlot) {
			this.host = host;
			this.keys = List.of();
			this.id = "";
			this.sentAt = 0;
			this.localSlot = localSlot;
		}

		/** The host answered; a good answer (not a 5xx) raises the rate a little. */
		void answered(boolean good) {
			if (this.settled) {
				return;
			}
			this.settled = true;
			if (this.localSlot != null) {
				this.localSlot.release();
				return;
			}
			boolean released = HostBudget.this.guard.call(USE, () -> {
				HostBudget.this.calls.giveBack(this.host, this.id, good, this.sentAt);
				return true;
			}, () -> false);
			if (!released) {
				HostBudget.this.pending.add(new PendingRelease(this.host, this.id, this.sentAt, System.nanoTime()));
			}
		}

		/**
		 * The host throttled this request: backs the host off for every worker.
		 * @param retryAfter the host's {@code retry-after}, if it sent one
		 * @return the exception that parks the work until the host's cool-down ends
		 */
		GitHubException.RateLimited throttled(int status, @Nullable Duration retryAfter) {
			HostBudget.this.meters
				.counter("gistgrep.github.host.throttled", "host", this.host, "status", Integer.toString(status))
				.increment();
			if (this.localSlot != null) {
				answered(false);
				return parked(this.host, "answered " + status + " (local budget: Redis is away)",
						HostBudget.this.local.throttled(this.host));
			}
			this.settled = true;
			return HostBudget.this.guard.call(USE, () -> sharedThrottle(status, retryAfter), () -> {
				HostBudget.this.pending.add(new PendingRelease(this.host, this.id, this.sentAt, System.nanoTime()));
				return parked(this.host, "answered " + status + " (local budget: Redis is away)",
						HostBudget.this.local.throttled(this.host));
			});
		}

		private GitHubException.RateLimited sharedThrottle(int status, @Nullable Duration retryAfter) {
			RawHostProperties p = HostBudget.this.properties;
			List<?> answer = HostBudget.this.redis.execute(HostScripts.THROTTLE, this.keys, this.id,
					Long.toString(this.sentAt), Long.toString(p.coolDown().toMillis()),
					Long.toString(p.maxCoolDown().toMillis()), number(ThreadLocalRandom.current().nextDouble(0.25)),
					Long.toString((retryAfter != null) ? retryAfter.toMillis() : 0), number(p.minRate()),
					number(p.rate()), Long.toString(HostBudget.this.keyTtlMillis));
			long cool = ((Number) answer.get(0)).longValue();
			double rate = Double.parseDouble((String) answer.get(1));
			HostGauges gauges = gauges(this.host).rate(rate).coolingUntil(cool);
			if (((Number) answer.get(3)).intValue() == 1) {
				gauges.coolDowns.increment();
				log.warn(
						"{} answered {}: backing it off for every worker until {} (throttle {} in a row), "
								+ "then at {} requests/s",
						this.host, status, Instant.ofEpochMilli(cool), answer.get(2), String.format("%.1f", rate));
			}
			return parked(this.host, "answered " + status, Instant.ofEpochMilli(cool));
		}

		/** Gives the slot back without a verdict (no answer: a timeout or I/O error). */
		@Override
		public void close() {
			if (this.localSlot != null) {
				answered(false);
			}
			else if (!this.settled) {
				this.settled = true;
				PendingRelease release = new PendingRelease(this.host, this.id, this.sentAt, System.nanoTime());
				if (!HostBudget.this.guard.call(USE, () -> release(release), () -> false)) {
					HostBudget.this.pending.add(release);
				}
			}
		}

	}

	/** Gives a shared lease back without a verdict; true once Redis took it. */
	private boolean release(PendingRelease release) {
		this.calls.giveBack(release.host(), release.id(), false, release.sentAt());
		return true;
	}

	/**
	 * The releases that failed while Redis was away, now that it answers (called where a
	 * shared lease is taken, so inside the guard): one that fails again goes back in the
	 * queue, and the guard answers the caller's call from the local budget.
	 */
	private void releasePending() {
		long lapse = this.leaseMillis * 1_000_000;
		for (PendingRelease release = this.pending.poll(); release != null; release = this.pending.poll()) {
			if (System.nanoTime() - release.failedAt() > lapse) {
				continue;
			}
			try {
				release(release);
			}
			catch (RuntimeException ex) {
				this.pending.add(release);
				throw ex;
			}
		}
	}

	/** The gathered calls to Redis (tests). */
	BudgetCalls calls() {
		return this.calls;
	}

	/** Shared leases waiting to be given back (tests). */
	int pendingReleases() {
		return this.pending.size();
	}

	/**
	 * Parks the work until {@code until}, plus a share of the wait drawn at random, so
	 * that parked tasks come back spread out rather than all at once.
	 */
	static GitHubException.RateLimited parked(String host, String why, Instant until) {
		long wait = Math.max(0, Duration.between(Instant.now(), until).toMillis());
		long spread = ThreadLocalRandom.current().nextLong((long) (wait * PARK_SPREAD) + 1);
		return new GitHubException.RateLimited(host + " " + why + "; parked until " + until, until.plusMillis(spread));
	}

	/**
	 * The name a host's budget is kept under: its host name, with the port when the URL
	 * names one (two simulators on one address are two hosts).
	 */
	static String name(URI uri) {
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		return (uri.getPort() != -1) ? host + ":" + uri.getPort() : host;
	}

	/** Redis' keys of a host's budget: its hash and its sorted set of leases. */
	static List<String> keys(String host) {
		return List.of(PREFIX + host, PREFIX + host + ":leases");
	}

	private HostGauges gauges(String host) {
		return this.gauges.computeIfAbsent(host, (h) -> new HostGauges(h, this.meters));
	}

	private static String number(double value) {
		return Double.toString(value);
	}

}
