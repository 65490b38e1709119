package io.gistgrep.bench.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.String.format;

/**
 * Where the machine's CPU went during one step of the run (a job, a reference fetch, a
 * load), per part: each app, the bench driver, the shared services and the whole machine
 * ({@code /proc}). A figure per unit of work (ms of CPU per gist, µs per request) can be
 * compared with the same step's reference: on a machine the run saturates, a pipeline
 * that spends more CPU per gist than the reference cannot reach a rate near the
 * reference's.
 * <p>
 * PostgreSQL's backends come and go with their connections: one that ended during the
 * step is not counted, one that started counts from 0. The apps' pools keep theirs, so
 * over a step the sum is close.
 */
final class CpuSpend {

	/** The shared services, PostgreSQL among them: over one step its backends stay. */
	private static final Map<String, String> SERVICES = withPostgres();

	private static final String MACHINE = "machine";

	/** The bench driver's compiler threads, apart from the rest of the driver. */
	private static final String DRIVER_JIT = "bench driver's JIT";

	private final Map<String, Double> seconds;

	private final long nanos = System.nanoTime();

	private CpuSpend(Map<String, Double> seconds) {
		this.seconds = seconds;
	}

	private static Map<String, String> withPostgres() {
		Map<String, String> services = new TreeMap<>(ServiceCpu.NAMES);
		services.put("postgres", "PostgreSQL");
		return Map.copyOf(services);
	}

	/** The CPU seconds each part has used so far. */
	static CpuSpend now(List<AppProcess> apps) {
		Map<String, Double> seconds = new LinkedHashMap<>();
		for (AppProcess app : apps) {
			// A stopped app by its last stats: its pid may belong to another process now.
			seconds.put(app.name,
					app.alive() ? ProcStats.cpuSeconds(app.pid()) : app.stats().map(ProcStats::cpuSeconds).orElse(0.0));
		}
		long self = ProcessHandle.current().pid();
		// The driver's JIT apart: it compiles the driver's own paths (its polls, this
		// reading of /proc), work a warm driver would not do.
		double jit = ProcStats.jitMillis(self).orElse(0) / 1000;
		seconds.put("bench driver", ProcStats.cpuSeconds(self) - jit);
		seconds.put(DRIVER_JIT, jit);
		seconds.putAll(ServiceCpu.snapshot(SERVICES));
		seconds.put(MACHINE, MachineCpu.now().busySeconds());
		return new CpuSpend(seconds);
	}

	/**
	 * One line: each part's CPU since {@code start}, per {@code units} units of work in
	 * {@code scale} (1e3: ms, 1e6: µs), largest first, then the machine's and how busy it
	 * was.
	 */
	String perUnit(CpuSpend start, int units, String unit, double scale, String scaleName) {
		double wall = (this.nanos - start.nanos) / 1e9;
		Map<String, Double> spent = new LinkedHashMap<>();
		double parts = 0;
		for (Map.Entry<String, Double> entry : this.seconds.entrySet()) {
			if (!entry.getKey().equals(MACHINE)) {
				double used = Math.max(0, entry.getValue() - start.seconds.getOrDefault(entry.getKey(), 0.0));
				spent.put(entry.getKey(), used);
				parts += used;
			}
		}
		double machine = this.seconds.get(MACHINE) - start.seconds.get(MACHINE);
		spent.put("everything else", Math.max(0, machine - parts));
		StringBuilder line = new StringBuilder();
		spent.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.filter((entry) -> entry.getValue() > 0)
			.forEach((entry) -> line.append((line.isEmpty()) ? "" : ", ")
				.append(format("%s %.2f", entry.getKey(), scale * entry.getValue() / units)));
		int cores = Runtime.getRuntime().availableProcessors();
		return format(
				"%s of CPU per %s: %s; the machine %.2f of the %.2f its %d cores had per %s (%.0f %% busy, "
						+ "%.1f s)",
				scaleName, unit, line, scale * machine / units, scale * cores * wall / units, cores, unit,
				100 * machine / (cores * wall), wall);
	}

}
