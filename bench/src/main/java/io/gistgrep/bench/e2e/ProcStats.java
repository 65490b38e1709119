package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What Linux' {@code /proc} says about a process: CPU time used (user + system, from
 * {@code /proc/<pid>/stat}) and peak resident set size ({@code VmHWM} of
 * {@code /proc/<pid>/status}).
 *
 * @param cpuSeconds user and system CPU seconds since the process started
 * @param peakRssMb the peak resident set size in MiB
 */
record ProcStats(double cpuSeconds, double peakRssMb) {

	/**
	 * Clock ticks per second of {@code /proc/<pid>/stat}: 100 on every Linux we run on.
	 */
	private static final double TICKS_PER_SECOND = 100;

	static Optional<ProcStats> of(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// The command name is in parentheses and may hold spaces: count fields after
			// it.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			double ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			double rssKb = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))
				.stream()
				.filter((line) -> line.startsWith("VmHWM:"))
				.mapToDouble((line) -> Double.parseDouble(line.replaceAll("[^0-9]", "")))
				.findFirst()
				.orElse(0);
			return Optional.of(new ProcStats(ticks / TICKS_PER_SECOND, rssKb / 1024));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	/** CPU seconds of a process, 0 when it is gone. */
	static double cpuSeconds(long pid) {
		return of(pid).map(ProcStats::cpuSeconds).orElse(0.0);
	}

}
