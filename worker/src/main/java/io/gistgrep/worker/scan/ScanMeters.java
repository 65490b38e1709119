package io.gistgrep.worker.scan;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * What the scanner itself did, by engine mode ({@code SearchPattern.engineMode()}: how
 * the scanner searches for the pattern): {@code gistgrep.scan.bytes} (bytes scanned) and
 * {@code gistgrep.scan.time} (time in the scanner, per file). Files answered by the scan
 * result cache are not scanned and count in neither. The meters of a mode are looked up
 * once, not per file.
 */
@Component
class ScanMeters {

	private final MeterRegistry registry;

	private final Map<String, Meters> byMode = new ConcurrentHashMap<>();

	ScanMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	/** One file of {@code bytes} bytes scanned in {@code nanos}. */
	void scanned(String mode, long bytes, long nanos) {
		Meters meters = this.byMode.computeIfAbsent(mode, this::meters);
		meters.bytes.increment(bytes);
		meters.time.record(nanos, TimeUnit.NANOSECONDS);
	}

	private Meters meters(String mode) {
		return new Meters(
				Counter.builder("gistgrep.scan.bytes")
					.description("Bytes of file content scanned, by the scanner's engine mode for the pattern")
					.baseUnit("bytes")
					.tag("mode", mode)
					.register(this.registry),
				Timer.builder("gistgrep.scan.time")
					.description("Time the scanner took per file, by its engine mode for the pattern")
					.tag("mode", mode)
					.register(this.registry));
	}

	private record Meters(Counter bytes, Timer time) {

	}

}
