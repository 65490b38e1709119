package io.gistgrep.worker.reaper;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The stuck-job reaper ({@code GISTGREP_REAPER_*}).
 * <p>
 * Both thresholds should exceed the longest delay tier (10 min): a task retried or parked
 * in a delay queue is invisible to the reaper's check of the work queues, and a job whose
 * only task waits there is quiet meanwhile. A repair that comes too early is safe (every
 * task is idempotent) but wasteful.
 *
 * @param interval how often each replica sweeps; only one replica sweeps at a time
 * @param queuedAfter how long a job may stay queued, not held by the running-jobs cap,
 * before its start task counts as lost
 * @param stalledAfter how long a running job may go without progress (a listing page
 * stored, a gist counted) before its tasks count as lost
 */
@ConfigurationProperties("gistgrep.reaper")
record ReaperProperties(@DefaultValue("1m") Duration interval, @DefaultValue("10m") Duration queuedAfter,
		@DefaultValue("15m") Duration stalledAfter) {

	ReaperProperties {
		positive("interval (GISTGREP_REAPER_INTERVAL)", interval);
		positive("queued-after (GISTGREP_REAPER_QUEUED_AFTER)", queuedAfter);
		positive("stalled-after (GISTGREP_REAPER_STALLED_AFTER)", stalledAfter);
	}

	private static void positive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("gistgrep.reaper." + name + " must be positive, was " + value);
		}
	}

}
