package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs a step with the bench driver's compiler threads at the lowest CPU priority
 * ({@code renice -n 19} on each thread): the driver shares the machine's 2 cores with the
 * pipeline it measures, and its C2 recompiles its HTTP client's paths when the api's
 * first answers (chunked, with other headers) do not fit what it compiled on the
 * simulator's. In case 3's first job that took 0.07-0.7 s of CPU, against 0.01-0.04 s in
 * the next; in case 1's job, which it polls, 0.13-0.19 ms per gist. A client of gistgrep
 * runs elsewhere; at the lowest priority the driver's JIT takes only what the pipeline
 * leaves. Its other threads, which submit and poll, keep their priority.
 * <p>
 * Linux only ({@code /proc}, {@code renice}). Each thread gets its own priority back
 * afterwards, which needs root (or {@code CAP_SYS_NICE}); without it the compiler threads
 * stay low, which only slows the driver's own JIT, and {@link Outcome#summary()} says so,
 * as it does when nothing could be lowered (the step then runs as it is). A compiler
 * thread the JVM starts during the step (on more than 2 cores it starts them as needed)
 * runs at the driver's own priority.
 */
final class DriverJit {

	private static final int LOWEST = 19;

	private DriverJit() {
	}

	/**
	 * What was done.
	 *
	 * @param value the step's result
	 * @param summary which threads ran low, for the report
	 */
	record Outcome<T>(T value, String summary) {

	}

	static <T> Outcome<T> lowered(Supplier<T> step) {
		Map<String, Integer> lowered = new LinkedHashMap<>();
		List<String> threads = compilerThreads();
		for (String thread : threads) {
			OptionalInt nice = nice(thread);
			if (nice.isPresent() && renice(LOWEST, thread)) {
				lowered.put(thread, nice.getAsInt());
			}
		}
		T value;
		List<String> notRestored = new ArrayList<>();
		try {
			value = step.get();
		}
		finally {
			lowered.forEach((thread, nice) -> {
				if (!renice(nice, thread)) {
					notRestored.add(thread);
				}
			});
		}
		if (lowered.isEmpty()) {
			return new Outcome<>(value,
					"the bench driver's compiler threads not lowered (" + threads.size() + " found, none could be)");
		}
		return new Outcome<>(value, "the bench driver's " + lowered.size() + " compiler thread(s) at nice " + LOWEST
				+ (notRestored.isEmpty() ? "" : " (" + notRestored.size()
						+ " could not be given their priority back, and stayed low for " + "the rest of the run)"));
	}

	/** A thread's nice value, field 19 of its {@code stat}; empty when it is gone. */
	private static OptionalInt nice(String thread) {
		try {
			String stat = Files.readString(Path.of("/proc/self/task", thread, "stat"));
			return OptionalInt.of(Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
		}
		catch (IOException | RuntimeException ex) {
			return OptionalInt.empty();
		}
	}

	/** The thread ids of the driver's compiler threads ({@code C1/C2 CompilerThre…}). */
	private static List<String> compilerThreads() {
		List<String> ids = new ArrayList<>();
		try (Stream<Path> threads = Files.list(Path.of("/proc/self/task"))) {
			for (Path thread : threads.toList()) {
				try {
					String name = Files.readString(thread.resolve("comm")).strip();
					if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
						ids.add(thread.getFileName().toString());
					}
				}
				catch (IOException ex) {
					// The thread ended meanwhile.
				}
			}
		}
		catch (IOException ex) {
			return List.of();
		}
		return ids;
	}

	/**
	 * Sets a thread's nice value: {@code --priority} is absolute ({@code -n} is relative
	 * under {@code POSIXLY_CORRECT}).
	 */
	private static boolean renice(int nice, String thread) {
		try {
			Process renice = new ProcessBuilder("renice", "--priority", Integer.toString(nice), "-p", thread)
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return renice.waitFor(5, TimeUnit.SECONDS) && renice.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
