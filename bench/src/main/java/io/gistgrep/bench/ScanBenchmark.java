package io.gistgrep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.gistgrep.scanner.ScanLimits;
import io.gistgrep.scanner.Scanner;
import io.gistgrep.scanner.SearchPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One operation searches the whole corpus, file by file, as the worker does: gistgrep's
 * {@link Scanner} on each file's bytes, or {@code java.util.regex} on each file decoded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScanBenchmark {

	static final String GISTGREP = "gistgrep";

	static final String JDK = "java.util.regex";

	/** Index into {@link Suite#PATTERNS}. */
	@Param({ "0", "1", "2", "3", "4", "5", "6" })
	public int pattern;

	@Param({ GISTGREP, JDK })
	public String engine;

	private List<byte[]> files;

	private Scanner scanner;

	private java.util.regex.Pattern jdk;

	@Setup
	public void load() throws IOException {
		this.files = Corpus.load(Path.of(System.getProperty("gistgrep.bench.corpus", "bench/corpus")));
		String source = Suite.PATTERNS.get(this.pattern).pattern();
		this.scanner = new Scanner(SearchPattern.compile(source), ScanLimits.DEFAULTS);
		this.jdk = java.util.regex.Pattern.compile(source);
	}

	@Benchmark
	public long scan() {
		return GISTGREP.equals(this.engine) ? gistgrep(this.scanner, this.files) : jdk(this.jdk, this.files);
	}

	static long gistgrep(Scanner scanner, List<byte[]> files) {
		long matches = 0;
		for (byte[] file : files) {
			matches += scanner.scan(file).matchCount();
		}
		return matches;
	}

	static long jdk(java.util.regex.Pattern pattern, List<byte[]> files) {
		long matches = 0;
		for (byte[] file : files) {
			java.util.regex.Matcher m = pattern.matcher(new String(file, StandardCharsets.UTF_8));
			while (m.find()) {
				matches++;
			}
		}
		return matches;
	}

}
