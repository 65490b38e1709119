package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.gistgrep.bench.e2e.Report.format;

/** The machine the run is on: CPU, cores, memory, JDK and kernel. */
final class Machine {

	private Machine() {
	}

	static String describe() {
		String cpu = line(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU");
		double memoryGb = line(Path.of("/proc/meminfo"), "MemTotal")
			.map((value) -> Double.parseDouble(value.replaceAll("[^0-9]", "")) / 1024 / 1024)
			.orElse(0.0);
		return format("%d cores (%s), %.1f GiB memory, JDK %s (%s), %s %s", Runtime.getRuntime().availableProcessors(),
				cpu, memoryGb, Runtime.version(), System.getProperty("java.vendor"), System.getProperty("os.name"),
				System.getProperty("os.version"));
	}

	private static java.util.Optional<String> line(Path file, String key) {
		try {
			List<String> lines = Files.readAllLines(file);
			return lines.stream()
				.filter((line) -> line.startsWith(key))
				.map((line) -> line.substring(line.indexOf(':') + 1).strip())
				.findFirst();
		}
		catch (IOException ex) {
			return java.util.Optional.empty();
		}
	}

}
