package io.gistgrep.worker.github;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import org.springframework.stereotype.Component;

/**
 * Bounds the requests one worker has in flight to each host, as GitHub asks of
 * integrators (no bursts of concurrent requests). Callers run on virtual threads, so
 * waiting for a permit costs no platform thread.
 */
@Component
class HostLimiter {

	private final int permits;

	private final Map<String, Semaphore> hosts = new ConcurrentHashMap<>();

	HostLimiter(GitHubProperties properties) {
		this.permits = properties.maxConcurrencyPerHost();
	}

	/** Waits for a permit for {@code host}; close the returned permit to give it back. */
	Permit acquire(String host) {
		Semaphore semaphore = this.hosts.computeIfAbsent(host.toLowerCase(Locale.ROOT),
				(h) -> new Semaphore(this.permits, true));
		try {
			semaphore.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new GitHubException.Transient("Interrupted while waiting to call " + host, ex);
		}
		return semaphore::release;
	}

	/** How many requests to {@code host} are in flight now. */
	int inFlight(String host) {
		Semaphore semaphore = this.hosts.get(host.toLowerCase(Locale.ROOT));
		return (semaphore != null) ? this.permits - semaphore.availablePermits() : 0;
	}

	/** A held permit. */
	interface Permit extends AutoCloseable {

		@Override
		void close();

	}

}
