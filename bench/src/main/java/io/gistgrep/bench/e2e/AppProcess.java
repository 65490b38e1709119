package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One {@code java -jar} process of the benchmark (github-sim, the api or a worker), its
 * log, and what it cost: start-up time, CPU seconds and peak RSS, taken just before it is
 * stopped.
 */
final class AppProcess {

	final String name;

	final int port;

	final Path log;

	private final Process process;

	private final long startedNanos;

	private Duration startUp = Duration.ZERO;

	private Duration lifetime = Duration.ZERO;

	private Optional<ProcStats> finalStats = Optional.empty();

	private AppProcess(String name, int port, Path log, Process process) {
		this.name = name;
		this.port = port;
		this.log = log;
		this.process = process;
		this.startedNanos = System.nanoTime();
	}

	static AppProcess start(String name, int port, List<String> command, Map<String, String> environment, Path logDir) {
		try {
			Files.createDirectories(logDir);
			Path log = logDir.resolve(name + ".log");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
			builder.environment().putAll(environment);
			return new AppProcess(name, port, log, builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name + ": " + command, ex);
		}
	}

	long pid() {
		return this.process.pid();
	}

	boolean alive() {
		return this.process.isAlive();
	}

	/** Waits until {@code ready} holds; fails with the log's tail if the process dies. */
	void awaitReady(BooleanSupplier ready, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!ready.getAsBoolean()) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.name + " exited with status " + this.process.exitValue() + " during start-up:\n" + tail());
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(this.name + " was not ready after " + timeout + ":\n" + tail());
			}
			Pause.millis(200);
		}
		this.startUp = Duration.ofNanos(System.nanoTime() - this.startedNanos);
	}

	Duration startUp() {
		return this.startUp;
	}

	/**
	 * Stats now, while it runs; after {@link #stop}, those taken just before it stopped.
	 */
	Optional<ProcStats> stats() {
		return this.process.isAlive() ? ProcStats.of(pid()) : this.finalStats;
	}

	Duration lifetime() {
		return this.process.isAlive() ? Duration.ofNanos(System.nanoTime() - this.startedNanos) : this.lifetime;
	}

	/**
	 * SIGTERM, a graceful stop; SIGKILL after {@code grace}. Its stats are read every 50
	 * ms until it exits, so that the CPU of its shutdown counts as its own (once it has
	 * exited, {@code /proc} has nothing of it).
	 */
	void stop(Duration grace) {
		if (!this.process.isAlive()) {
			return;
		}
		this.finalStats = ProcStats.of(pid());
		this.process.destroy();
		long deadline = System.nanoTime() + grace.toNanos();
		try {
			while (!this.process.waitFor(50, TimeUnit.MILLISECONDS)) {
				ProcStats.of(pid()).ifPresent((stats) -> this.finalStats = Optional.of(stats));
				if (System.nanoTime() > deadline) {
					this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
					break;
				}
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		this.lifetime = Duration.ofNanos(System.nanoTime() - this.startedNanos);
	}

	String tail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
