package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

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

	/**
	 * The JIT time of two JVMs together, as {@link #jitMillis(long)}; empty when either
	 * is gone.
	 */
	static OptionalDouble jitMillis(long first, long second) {
		return jitMillis(List.of(first, second));
	}

	/**
	 * The JIT time of several JVMs together, as {@link #jitMillis(long)}; empty when any
	 * is gone.
	 */
	static OptionalDouble jitMillis(List<Long> pids) {
		double sum = 0;
		for (long pid : pids) {
			OptionalDouble one = jitMillis(pid);
			if (one.isEmpty()) {
				return OptionalDouble.empty();
			}
			sum += one.getAsDouble();
		}
		return OptionalDouble.of(sum);
	}

	/**
	 * Milliseconds of CPU that a JVM's JIT compiler threads have used (the threads whose
	 * name, as {@code /proc/<pid>/task/<tid>/comm} cuts it to 15 characters, is
	 * {@code C1 CompilerThre} or {@code C2 CompilerThre}): for a JVM that does not
	 * publish its compile time, such as github-sim. Empty when the process is gone.
	 */
	static OptionalDouble jitMillis(long pid) {
		Path tasks = Path.of("/proc", Long.toString(pid), "task");
		try (Stream<Path> threads = Files.list(tasks)) {
			double ticks = 0;
			for (Path thread : threads.toList()) {
				try {
					String name = Files.readString(thread.resolve("comm")).strip();
					if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
						continue;
					}
					String stat = Files.readString(thread.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
				}
				catch (IOException ex) {
					// The thread ended between the listing and the read. The JVM stops
					// compiler threads beyond the first of each kind when they idle,
					// and their time leaves /proc with them: a round in which one
					// ended reads as quieter than it was. On 2 cores there is one of
					// each kind.
				}
			}
			return OptionalDouble.of(1000 * ticks / TICKS_PER_SECOND);
		}
		catch (IOException | RuntimeException ex) {
			return OptionalDouble.empty();
		}
	}

	/** CPU seconds of a process, 0 when it is gone. */
	static double cpuSeconds(long pid) {
		return of(pid).map(ProcStats::cpuSeconds).orElse(0.0);
	}

}
