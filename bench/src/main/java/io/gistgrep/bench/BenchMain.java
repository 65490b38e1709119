package io.gistgrep.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import io.gistgrep.scanner.ScanLimits;
import io.gistgrep.scanner.Scanner;
import io.gistgrep.scanner.SearchPattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark (bench/run.sh): JMH for gistgrep's scanner and java.util.regex,
 * ripgrep ({@code rg -j1}) over the same files in the same run, then one table, the
 * adversarial cases and the targets.
 */
public final class BenchMain {

	private static final int RG_RUNS = 5;

	private BenchMain() {
	}

	public static void main(String[] args) throws IOException, RunnerException, InterruptedException {
		List<String> options = Arrays.asList(args);
		Path corpus = Path.of(option(options, "--corpus", "bench/corpus")).toAbsolutePath();
		boolean quick = options.contains("--quick");
		Corpus.ensure(corpus);
		List<byte[]> files = Corpus.load(corpus);
		long bytes = Corpus.bytes(files);
		System.out.printf(Locale.ROOT,
				"Corpus: %d files, %.1f MB of generated code-like and prose text (seed %d) in %s%n", files.size(),
				bytes / 1e6, Corpus.SEED, corpus);
		System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores; load average "
				+ loadAverage() + " before the run (other work on the machine makes the figures noisy)");

		// Each pattern's JMH runs and then its rg runs, so that changes in the machine's
		// load
		// fall on both alike.
		System.out.println("Running JMH (log in bench/target/jmh-*.log) and rg -j1 (" + RG_RUNS
				+ " timed runs, median), pattern by pattern...");
		Map<String, Double> msPerOp = new TreeMap<>();
		List<RgResult> rgResults = new ArrayList<>();
		for (int i = 0; i < Suite.PATTERNS.size(); i++) {
			// Two forks for gistgrep: the JIT does not compile the hot loops alike in
			// every
			// JVM. java.util.regex is the slow baseline: one fork, fewer iterations.
			msPerOp.putAll(jmh(corpus, quick, ScanBenchmark.class, "pattern", i, ScanBenchmark.GISTGREP, 2, 2, 3));
			msPerOp.putAll(jmh(corpus, quick, ScanBenchmark.class, "pattern", i, ScanBenchmark.JDK, 1, 1, 2));
			rgResults.add(ripgrep(Suite.PATTERNS.get(i).pattern(), corpus, bytes));
			System.out.println("  " + Suite.PATTERNS.get(i).pattern() + " done");
		}
		msPerOp.putAll(jmh(corpus, quick, AdversarialBenchmark.class, null, -1, null, 1, 2, 3));
		String header = String.format(Locale.ROOT, "%-22s %-36s %10s %12s %10s %9s  %s", "case", "pattern", "gistgrep",
				"j.u.regex", "rg -j1", "vs rg", "matches: gistgrep / j.u.regex / rg");
		System.out.println();
		System.out.println("Throughput in MB/s (10^6 bytes per second), one thread:");
		System.out.println(header);
		List<Double> literalSpeeds = new ArrayList<>();
		List<Double> literalRatios = new ArrayList<>();
		double slowest = Double.MAX_VALUE;
		for (int i = 0; i < Suite.PATTERNS.size(); i++) {
			Suite.Case c = Suite.PATTERNS.get(i);
			double ours = mbPerSecond(bytes, msPerOp.get(key("ScanBenchmark", i, ScanBenchmark.GISTGREP)));
			double jdk = mbPerSecond(bytes, msPerOp.get(key("ScanBenchmark", i, ScanBenchmark.JDK)));
			long ourCount = ScanBenchmark.gistgrep(new Scanner(SearchPattern.compile(c.pattern()), ScanLimits.DEFAULTS),
					files);
			long jdkCount = ScanBenchmark.jdk(java.util.regex.Pattern.compile(c.pattern()), files);
			RgResult rg = rgResults.get(i);
			double ratio = (rg != null) ? ours / rg.mbPerSecond : Double.NaN;
			slowest = Math.min(slowest, ours);
			if (c.literal()) {
				literalSpeeds.add(ours);
				if (rg != null) {
					literalRatios.add(ratio);
				}
			}
			System.out.printf(Locale.ROOT, "%-22s %-36s %10.0f %12.0f %10s %9s  %d / %d / %s%n", c.name(),
					abbreviate(c.pattern(), 36), ours, jdk,
					(rg != null) ? String.format(Locale.ROOT, "%.0f", rg.mbPerSecond) : "-",
					(rg != null) ? String.format(Locale.ROOT, "%.2fx", ratio) : "-", ourCount, jdkCount,
					(rg != null) ? Long.toString(rg.matches) : "-");
		}

		System.out.println();
		System.out.println("Adversarial cases, gistgrep's scanner on 100 KB (target: at most 50 ms each):");
		double worst = 0;
		for (int i = 0; i < Suite.ADVERSARIAL.size(); i++) {
			Suite.Adversarial a = Suite.ADVERSARIAL.get(i);
			double ms = msPerOp.get(key("AdversarialBenchmark", i, null));
			worst = Math.max(worst, ms);
			System.out.printf(Locale.ROOT, "  %-16s %8.3f ms%n", a.pattern(), ms);
		}

		System.out.println();
		System.out.println("Targets (issue 4):");
		double median = median(literalSpeeds);
		target("median over the literal-bearing patterns >= 1000 MB/s", String.format(Locale.ROOT, "%.0f MB/s", median),
				median >= 1000);
		target("no pattern below 100 MB/s", String.format(Locale.ROOT, "slowest %.0f MB/s", slowest), slowest >= 100);
		if (literalRatios.isEmpty()) {
			System.out.println("  [ -- ] >= 0.5x rg -j1 on the literal-bearing patterns: rg is not installed");
		}
		else {
			double least = literalRatios.stream().mapToDouble(Double::doubleValue).min().orElse(0);
			target(">= 0.5x rg -j1 on each literal-bearing pattern", String.format(Locale.ROOT, "lowest %.2fx", least),
					least >= 0.5);
		}
		target("each adversarial case <= 50 ms", String.format(Locale.ROOT, "slowest %.3f ms", worst), worst <= 50);
	}

	private static Map<String, Double> jmh(Path corpus, boolean quick, Class<?> benchmark, String param, int value,
			String engine, int forks, int warmups, int iterations) throws RunnerException {
		ChainedOptionsBuilder options = new OptionsBuilder().include(benchmark.getName())
			.forks(forks)
			.jvmArgsAppend("-Xmx3g", "-Dgistgrep.bench.corpus=" + corpus)
			.output("bench/target/jmh-" + benchmark.getSimpleName() + ((param != null) ? "-" + value : "")
					+ ((engine != null) ? "-" + engine : "") + ".log")
			.shouldFailOnError(true)
			.warmupIterations(quick ? 1 : warmups)
			.warmupTime(TimeValue.seconds(quick ? 1 : 2))
			.measurementIterations(quick ? 1 : iterations)
			.measurementTime(TimeValue.seconds(quick ? 1 : 2));
		if (param != null) {
			options.param(param, Integer.toString(value));
		}
		if (engine != null) {
			options.param("engine", engine);
		}
		Map<String, Double> scores = new TreeMap<>();
		for (RunResult r : new Runner(options.build()).run()) {
			int index = Integer.parseInt((r.getParams().getParam("pattern") != null) ? r.getParams().getParam("pattern")
					: r.getParams().getParam("adversarial"));
			scores.put(key(benchmark.getSimpleName(), index, r.getParams().getParam("engine")),
					r.getPrimaryResult().getScore());
		}
		return scores;
	}

	private static String key(String benchmark, int index, String engine) {
		return benchmark + "/" + index + "/" + engine;
	}

	private static double mbPerSecond(long bytes, double msPerOp) {
		return bytes / 1e6 / (msPerOp / 1000);
	}

	private record RgResult(double mbPerSecond, long matches) {
	}

	/**
	 * The median of timed runs of {@code rg -j1}, after one to warm the page cache; null
	 * without rg.
	 */
	private static RgResult ripgrep(String pattern, Path corpus, long bytes) throws IOException, InterruptedException {
		List<String> command = List.of("rg", "-j1", "--no-config", "--no-ignore", "--count-matches", "-e", pattern,
				corpus.toString());
		long matches;
		try {
			matches = runRg(command);
		}
		catch (IOException ex) {
			return null;
		}
		long[] nanos = new long[RG_RUNS];
		for (int i = 0; i < RG_RUNS; i++) {
			long start = System.nanoTime();
			runRg(command);
			nanos[i] = System.nanoTime() - start;
		}
		Arrays.sort(nanos);
		return new RgResult(bytes / 1e6 / (nanos[RG_RUNS / 2] / 1e9), matches);
	}

	private static long runRg(List<String> command) throws IOException, InterruptedException {
		Process rg = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		long matches = 0;
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(rg.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				matches += Long.parseLong(line.substring(line.lastIndexOf(':') + 1));
			}
		}
		int exit = rg.waitFor();
		if (exit > 1) {
			throw new IOException("rg exited with " + exit);
		}
		return matches;
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	private static void target(String what, String reached, boolean met) {
		System.out.printf("  [%s] %s: %s%n", met ? "met " : "MISS", what, reached);
	}

	private static String abbreviate(String s, int max) {
		return (s.length() <= max) ? s : s.substring(0, max - 3) + "...";
	}

	private static String option(List<String> options, String name, String fallback) {
		int i = options.indexOf(name);
		return (i >= 0 && i + 1 < options.size()) ? options.get(i + 1) : fallback;
	}

	private static String loadAverage() {
		try {
			return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

}
