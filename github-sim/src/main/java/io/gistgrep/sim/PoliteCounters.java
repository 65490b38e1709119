package io.gistgrep.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts that tell whether a client was polite: raw-host throttling and its
 * cool-downs, triggered secondary limits, missing {@code User-Agent}s, and the faults
 * injected per target. {@link SimCounters} publishes them.
 */
final class PoliteCounters {

	/** A cool-down as it runs: requests keep arriving during it. */
	record Tally(Instant start, Instant end, AtomicInteger requestsDuring) {

		SimCounters.CoolDown snapshot() {
			return new SimCounters.CoolDown(this.start, this.end, this.requestsDuring.get());
		}

	}

	final LongAdder rawThrottled = new LongAdder();

	final LongAdder secondaryLimitsTriggered = new LongAdder();

	final LongAdder missingUserAgent = new LongAdder();

	final LongAdder injectedResets = new LongAdder();

	private final Map<Target, LongAdder> injectedByTarget = new EnumMap<>(Target.class);

	private final List<Tally> coolDowns = new ArrayList<>();

	private int maxRawPerSecond;

	PoliteCounters() {
		for (Target target : Target.values()) {
			this.injectedByTarget.put(target, new LongAdder());
		}
	}

	synchronized Tally coolDownStarted(Instant start, Instant end) {
		Tally tally = new Tally(start, end, new AtomicInteger());
		this.coolDowns.add(tally);
		return tally;
	}

	synchronized List<SimCounters.CoolDown> coolDowns() {
		return this.coolDowns.stream().map(Tally::snapshot).toList();
	}

	synchronized void rawPerSecond(int requests) {
		this.maxRawPerSecond = Math.max(this.maxRawPerSecond, requests);
	}

	synchronized int maxRawPerSecond() {
		return this.maxRawPerSecond;
	}

	void injected(Target target, Fault fault) {
		this.injectedByTarget.get(target).increment();
		if (fault == Fault.RESET_MID_BODY) {
			this.injectedResets.increment();
		}
	}

	long injected(Target target) {
		return this.injectedByTarget.get(target).sum();
	}

	synchronized void reset() {
		this.rawThrottled.reset();
		this.secondaryLimitsTriggered.reset();
		this.missingUserAgent.reset();
		this.injectedResets.reset();
		this.injectedByTarget.values().forEach(LongAdder::reset);
		this.coolDowns.clear();
		this.maxRawPerSecond = 0;
	}

	void addTo(Map<String, Object> snapshot) {
		snapshot.put("raw_throttled", this.rawThrottled.sum());
		snapshot.put("raw_cool_downs",
				coolDowns().stream()
					.map((coolDown) -> Map.of("start", coolDown.start().toString(), "end", coolDown.end().toString(),
							"requests_during", coolDown.requestsDuring()))
					.toList());
		snapshot.put("max_raw_requests_per_second", maxRawPerSecond());
		snapshot.put("secondary_limits_triggered", this.secondaryLimitsTriggered.sum());
		snapshot.put("missing_user_agent", this.missingUserAgent.sum());
		snapshot.put("injected_resets", this.injectedResets.sum());
	}

}
