package io.gistgrep.worker.github;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** A host's state as this worker last saw it, for the gauges. */
final class HostGauges {

	private final AtomicLong rateMilli = new AtomicLong();

	private final AtomicLong coolUntil = new AtomicLong();

	final Counter coolDowns;

	private final DistributionSummary gathered;

	HostGauges(String host, MeterRegistry meters) {
		Gauge.builder("gistgrep.github.host.rate", this.rateMilli, (v) -> v.get() / 1000.0)
			.tag("host", host)
			.description("Requests per second allowed to a content host now, for all workers together")
			.register(meters);
		Gauge
			.builder("gistgrep.github.host.cooling", this.coolUntil,
					(v) -> Math.max(0, v.get() - System.currentTimeMillis()) / 1000.0)
			.tag("host", host)
			.baseUnit("seconds")
			.description("Seconds until a content host's back-off after a throttle ends (0: not backed off)")
			.register(meters);
		this.coolDowns = meters.counter("gistgrep.github.host.cool-downs", "host", host);
		this.gathered = DistributionSummary.builder("gistgrep.github.host.budget.gathered")
			.tag("host", host)
			.description("Takes and give-backs of a content host's shared leases sent to Redis in one script call")
			.register(meters);
	}

	HostGauges rate(double rate) {
		this.rateMilli.set(Math.round(rate * 1000));
		return this;
	}

	/** {@code calls} takes and give-backs went to Redis in one script call. */
	HostGauges gathered(int calls) {
		this.gathered.record(calls);
		return this;
	}

	HostGauges coolingUntil(long epochMillis) {
		this.coolUntil.set(epochMillis);
		return this;
	}

}
