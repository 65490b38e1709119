package io.gistgrep.worker.github;

/**
 * Paces one worker's requests to one budget without Redis: at most {@code rate} per
 * second, spaced evenly (no burst). Used by the local budgets that stand in for the
 * shared ones while Redis is away.
 */
final class LocalPace {

	private final long intervalMillis;

	private long next;

	LocalPace(double perSecond) {
		this.intervalMillis = Math.max(1, Math.round(1000 / perSecond));
	}

	/** When a request may go next, if it were reserved now. */
	synchronized long nextSlot(long nowMillis) {
		return Math.max(nowMillis, this.next);
	}

	/**
	 * Reserves the next slot, unless it is more than {@code maxWaitMillis} away.
	 * @return the slot's epoch milliseconds, or -1 when nothing was reserved
	 */
	synchronized long reserve(long nowMillis, long maxWaitMillis) {
		long slot = Math.max(nowMillis, this.next);
		if (slot - nowMillis > maxWaitMillis) {
			return -1;
		}
		this.next = slot + this.intervalMillis;
		return slot;
	}

	static void sleepUntil(long epochMillis) {
		long wait = epochMillis - System.currentTimeMillis();
		if (wait <= 0) {
			return;
		}
		try {
			Thread.sleep(wait);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new GitHubException.Transient("Interrupted while waiting for a request slot", ex);
		}
	}

}
