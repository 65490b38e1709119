package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU seconds of the shared services the run uses (RabbitMQ's {@code beam.smp} and
 * {@code redis-server}), from {@code /proc}. The difference of two snapshots is what they
 * spent meanwhile, for everyone using them. PostgreSQL is left out of the whole run's
 * figures: its backends come and go with their connections, so over minutes a difference
 * of snapshots means little ({@link CpuSpend} counts it over one step).
 */
final class ServiceCpu {

	static final Map<String, String> NAMES = Map.of("beam.smp", "RabbitMQ", "redis-server", "Redis");

	private ServiceCpu() {
	}

	static Map<String, Double> snapshot() {
		return snapshot(NAMES);
	}

	/**
	 * The CPU seconds so far of the processes whose command name ({@code comm}) is a key
	 * of {@code names}, summed under its value; a process that ends meanwhile is not
	 * counted.
	 */
	static Map<String, Double> snapshot(Map<String, String> names) {
		Map<String, Double> cpu = new TreeMap<>();
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			processes.filter((dir) -> dir.getFileName().toString().chars().allMatch(Character::isDigit))
				.forEach((dir) -> {
					try {
						String name = names.get(Files.readString(dir.resolve("comm")).strip());
						if (name != null) {
							cpu.merge(name, ProcStats.cpuSeconds(Long.parseLong(dir.getFileName().toString())),
									Double::sum);
						}
					}
					catch (IOException | RuntimeException ex) {
						// The process ended meanwhile.
					}
				});
		}
		catch (IOException ex) {
			return cpu;
		}
		return cpu;
	}

}
