package io.gistgrep.worker.github;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Bounds the requests one worker has in flight to each host, as GitHub asks of
 * integrators (no bursts of concurrent requests). Hosts are told apart by name and port
 * ({@link HostBudget#name}), so an API and a content host on one address are two hosts.
 * <ul>
 * <li>A host without a shared budget (the API host) gets a fixed bound,
 * {@code gistgrep.github.max-concurrency-per-host}.</li>
 * <li>A content host (raw files, git) gets a limit that adapts ({@link AdaptiveLimit}):
 * it starts at that same figure and moves between 1 and the shared budget's cap
 * ({@code gistgrep.github.raw.max-concurrency}), growing while answers are good and
 * halving on a throttle, an error or a slow answer. The shared budget
 * ({@link HostBudget}) stays the ceiling across workers; this limit keeps a worker's
 * surplus waiting here, in line, rather than polling Redis for a slot.</li>
 * </ul>
 * Callers run on virtual threads, so waiting for a permit costs no platform thread.
 */
@Component
class HostLimiter {

	private final int permits;

	private final RawHostProperties raw;

	private final MeterRegistry meters;

	private final Map<String, Semaphore> hosts = new ConcurrentHashMap<>();

	private final Map<String, AdaptiveLimit> contentHosts = new ConcurrentHashMap<>();

	HostLimiter(GitHubProperties properties, RawHostProperties raw, MeterRegistry meters) {
		this.permits = properties.maxConcurrencyPerHost();
		this.raw = raw;
		this.meters = meters;
	}

	/**
	 * Waits for a permit of the fixed bound of {@code uri}'s host; close the returned
	 * permit to give it back.
	 */
	Permit acquire(URI uri) {
		Semaphore semaphore = this.hosts.computeIfAbsent(HostBudget.name(uri),
				(h) -> new Semaphore(this.permits, true));
		try {
			semaphore.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new GitHubException.Transient("Interrupted while waiting to call " + uri.getHost(), ex);
		}
		return semaphore::release;
	}

	/**
	 * Waits for a permit of the adaptive limit of {@code uri}'s content host. Tell the
	 * permit how the host answered ({@link Permit#answered()}, {@link Permit#dropped()});
	 * a permit closed without either gives its slot back and leaves the limit alone.
	 */
	Permit acquireContent(URI uri) {
		return contentHost(HostBudget.name(uri)).acquire();
	}

	/** How many requests to {@code uri}'s host are in flight now, under either bound. */
	int inFlight(URI uri) {
		String name = HostBudget.name(uri);
		Semaphore semaphore = this.hosts.get(name);
		AdaptiveLimit adaptive = this.contentHosts.get(name);
		return ((semaphore != null) ? this.permits - semaphore.availablePermits() : 0)
				+ ((adaptive != null) ? adaptive.inFlight() : 0);
	}

	/** The adaptive limit of {@code uri}'s content host now. */
	int contentLimit(URI uri) {
		return contentHost(HostBudget.name(uri)).limit();
	}

	/**
	 * The most requests this worker had in flight to {@code uri}'s content host at once.
	 */
	int maxContentInFlight(URI uri) {
		return contentHost(HostBudget.name(uri)).maxInFlight();
	}

	private AdaptiveLimit contentHost(String name) {
		return this.contentHosts.computeIfAbsent(name,
				(h) -> new AdaptiveLimit(h, this.permits, this.raw.maxConcurrency(), this.meters));
	}

	/** A held permit. */
	interface Permit extends AutoCloseable {

		/** The host answered well: an adaptive limit may grow. */
		default void answered() {
		}

		/**
		 * The host throttled, failed or timed out: an adaptive limit shrinks (once for
		 * all the requests that were in flight together).
		 */
		default void dropped() {
		}

		/** Gives the permit back (without a verdict, unless one was given). */
		@Override
		void close();

	}

}
