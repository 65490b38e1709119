package io.gistgrep.bench.e2e;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.function.Supplier;

import static java.lang.String.format;

/**
 * Runs rounds of a load until a JVM's JIT has settled: until it compiled for less than
 * {@link #SETTLED} of a round's time, {@link #QUIET_ROUNDS} rounds in a row, or for at
 * most a limit. A JIT that is still compiling takes CPU from whatever the bench measures
 * next on the same cores: case 4 waits for the api's this way, and the run waits for
 * github-sim's before any app starts.
 */
final class JitSettling {

	/**
	 * The JIT counts as settled when it compiled for less than this share of a round's
	 * time, {@link #QUIET_ROUNDS} rounds in a row.
	 */
	static final double SETTLED = 0.02;

	/** Quiet rounds in a row that count as settled. */
	static final int QUIET_ROUNDS = 3;

	private JitSettling() {
	}

	/**
	 * How the rounds ended.
	 *
	 * @param settled whether the JIT settled before the limit
	 * @param summary the rounds, their time and the last round's compiling, for the
	 * report
	 */
	record Outcome(boolean settled, String summary) {

	}

	/**
	 * Runs {@code round} until the JIT has settled or {@code limit} has passed (one round
	 * at least). A round whose compile time could not be read counts as not quiet.
	 * @param compiledMillis how long the JIT has compiled so far, empty when it cannot be
	 * read
	 * @param source where the compile time is read, for the report
	 * @return how the rounds ended
	 */
	static Outcome settle(Supplier<OptionalDouble> compiledMillis, String source, Duration limit, Runnable round) {
		long start = System.nanoTime();
		int rounds = 0;
		int quiet = 0;
		int unread = 0;
		String last = "";
		while (true) {
			OptionalDouble before = compiledMillis.get();
			long roundStart = System.nanoTime();
			round.run();
			rounds++;
			OptionalDouble after = compiledMillis.get();
			double roundMillis = (System.nanoTime() - roundStart) / 1e6;
			double seconds = (System.nanoTime() - start) / 1e9;
			if (before.isEmpty() || after.isEmpty()) {
				unread++;
				quiet = 0;
			}
			else {
				double compiled = after.getAsDouble() - before.getAsDouble();
				last = format(" (%.0f ms compiling in the last %.1f s round)", compiled, roundMillis / 1000);
				quiet = (compiled < SETTLED * roundMillis) ? quiet + 1 : 0;
			}
			if (quiet >= QUIET_ROUNDS) {
				return new Outcome(true, format("settled after %d round(s), %.0f s%s", rounds, seconds, last));
			}
			if (seconds >= limit.toSeconds()) {
				return new Outcome(false, format("not settled after %d round(s), %.0f s%s%s", rounds, seconds, last,
						(unread > 0) ? format("; %d round(s) not read from %s", unread, source) : ""));
			}
		}
	}

}
