package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.gistgrep.bench.e2e.Report.format;

/**
 * How busy the whole machine was during the run ({@code /proc/stat}: all CPUs' busy time)
 * and its load average, so a reader can tell a run on a quiet machine from one that
 * shared it with builds and tests.
 *
 * @param busySeconds CPU seconds spent by everything (not idle, not waiting for I/O)
 * @param loadAverage the first line of {@code /proc/loadavg}
 */
record MachineCpu(double busySeconds, String loadAverage) {

	static MachineCpu now() {
		try {
			String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().strip().split("\\s+");
			long busy = 0;
			for (int i = 1; i < cpu.length && i <= 7; i++) {
				if (i != 4 && i != 5) {
					busy += Long.parseLong(cpu[i]);
				}
			}
			String load = Files.readString(Path.of("/proc/loadavg")).strip();
			return new MachineCpu(busy / 100.0, load.substring(0, load.lastIndexOf(' ', load.lastIndexOf(' ') - 1)));
		}
		catch (IOException | RuntimeException ex) {
			return new MachineCpu(0, "unknown");
		}
	}

	/**
	 * A warning when other work took more than a tenth of the machine during the run,
	 * else empty.
	 */
	String busyWarning(MachineCpu start, double elapsedSeconds, double ownCpuSeconds) {
		double others = this.busySeconds - start.busySeconds - ownCpuSeconds;
		double capacity = elapsedSeconds * Runtime.getRuntime().availableProcessors();
		if (others <= 0.1 * capacity) {
			return "";
		}
		return format("**The machine was busy with other work during this run: %.0f %% of its CPU time went to "
				+ "processes other than the run's own (the shared services among them). Absolute figures are "
				+ "pessimistic; read them against the references of the same run.**", 100 * others / capacity);
	}

	/** The machine's CPU use from {@code start} to this snapshot. */
	String since(MachineCpu start, double elapsedSeconds, double ownCpuSeconds) {
		double busy = this.busySeconds - start.busySeconds;
		int cores = Runtime.getRuntime().availableProcessors();
		return format(
				"the machine was %.0f %% busy (%.0f of %.0f CPU seconds); the run's own processes "
						+ "(apps, simulator, driver) used %.0f of them, everything else (services, other work) %.0f. "
						+ "Load average at the start %s, at the end %s.",
				100 * busy / (elapsedSeconds * cores), busy, elapsedSeconds * cores, ownCpuSeconds,
				busy - ownCpuSeconds, start.loadAverage, this.loadAverage);
	}

}
