package io.gistgrep.cli;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C. Most of the time it ends the client at once with status 130, as it ends grep.
 * While {@code search} waits for its job, it is only recorded instead, so that the search
 * can ask whether to cancel the job on the server first; a wait in progress is cut short.
 */
final class Interrupts {

	private final Semaphore signals = new Semaphore(0);

	private final Runnable exit;

	private volatile boolean watched;

	/**
	 * @param exit what an unwatched Ctrl-C does: ends the JVM with 130
	 */
	Interrupts(Runnable exit) {
		this.exit = exit;
	}

	/**
	 * Called on SIGINT (from the JVM's signal thread). A second Ctrl-C while the first is
	 * still pending (a request in flight has not returned yet) leaves at once.
	 */
	void signal() {
		if (this.watched && this.signals.availablePermits() == 0) {
			this.signals.release();
		}
		else {
			this.exit.run();
		}
	}

	/**
	 * From now on, Ctrl-C is recorded for {@link #await} rather than ending the client.
	 */
	void watch() {
		this.signals.drainPermits();
		this.watched = true;
	}

	/** From now on, Ctrl-C ends the client again. */
	void unwatch() {
		this.watched = false;
	}

	/**
	 * Waits up to {@code time}, or until Ctrl-C; answers whether it was Ctrl-C (and takes
	 * it).
	 */
	boolean await(Duration time) {
		try {
			return this.signals.tryAcquire(time.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
	}

	/** Answers whether Ctrl-C came since it was last taken, and takes it. */
	boolean take() {
		return this.signals.tryAcquire();
	}

	/**
	 * Waits {@code time} unless Ctrl-C comes first, which is left for {@link #take} to
	 * see; answers false when cut short.
	 */
	boolean pause(Duration time) {
		if (await(time)) {
			this.signals.release();
			return false;
		}
		return true;
	}

}
