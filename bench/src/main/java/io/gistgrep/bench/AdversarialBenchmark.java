package io.gistgrep.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.gistgrep.scanner.FileScan;
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

/** One operation scans one adversarial case's 100 KB input. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AdversarialBenchmark {

	/** Index into {@link Suite#ADVERSARIAL}. */
	@Param({ "0", "1", "2", "3", "4", "5", "6" })
	public int adversarial;

	private Scanner scanner;

	private byte[] input;

	@Setup
	public void prepare() {
		Suite.Adversarial a = Suite.ADVERSARIAL.get(this.adversarial);
		this.scanner = new Scanner(SearchPattern.compile(a.pattern()), ScanLimits.DEFAULTS);
		this.input = a.input().getBytes(StandardCharsets.UTF_8);
	}

	@Benchmark
	public FileScan scan() {
		return this.scanner.scan(this.input);
	}

}
