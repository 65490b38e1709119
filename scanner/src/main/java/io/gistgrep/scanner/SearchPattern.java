package io.gistgrep.scanner;

import java.util.Locale;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A pattern compiled in RE2 syntax. RE2 (here re2j) matches in time linear in the input,
 * so an untrusted pattern cannot hang a worker; it has no backreferences or look-around.
 * Patterns whose compiled program would be huge are refused up front, with the reason.
 */
public final class SearchPattern {

	public static final int DEFAULT_MAX_LENGTH = 1000;

	/** RE2's own limit on a counted repetition such as {@code a{1000}}. */
	public static final int MAX_REPEAT = 1000;

	/**
	 * Instructions the compiled program may have. The engine's work per character grows
	 * with it; real search patterns stay far below.
	 */
	public static final int MAX_PROGRAM_SIZE = 5000;

	private final String source;

	private final Pattern compiled;

	private final ScanPlan plan;

	private final String engineMode;

	private SearchPattern(String source, Pattern compiled, ScanPlan plan) {
		this.source = source;
		this.compiled = compiled;
		this.plan = plan;
		this.engineMode = plan.mode.name().toLowerCase(Locale.ROOT);
	}

	public static SearchPattern compile(String source) {
		return compile(source, DEFAULT_MAX_LENGTH);
	}

	/**
	 * Compiles {@code source}, or throws {@link InvalidPatternException} with a message
	 * fit for the client.
	 */
	public static SearchPattern compile(String source, int maxLength) {
		if (source.isEmpty()) {
			throw new InvalidPatternException("pattern must not be empty");
		}
		if (source.length() > maxLength) {
			throw new InvalidPatternException("pattern must be at most " + maxLength + " characters long");
		}
		Regex tree;
		try {
			tree = Re2j.parse(source);
		}
		catch (PatternSyntaxException ex) {
			throw invalid(ex);
		}
		long size = Regex.programSize(tree);
		if (size > MAX_PROGRAM_SIZE) {
			String estimate = (size >= Regex.UNBOUNDED) ? "too many" : String.format(Locale.ROOT, "about %,d", size);
			throw new InvalidPatternException("pattern is too complex: it would compile to " + estimate
					+ " instructions, over the limit of " + String.format(Locale.ROOT, "%,d", MAX_PROGRAM_SIZE)
					+ " (counted repetitions multiply when nested, as in `(a{100}){100}`)");
		}
		try {
			Pattern compiled = Pattern.compile(source);
			return new SearchPattern(source, compiled, ScanPlan.of(tree, compiled));
		}
		catch (PatternSyntaxException ex) {
			throw invalid(ex);
		}
	}

	private static InvalidPatternException invalid(PatternSyntaxException ex) {
		String at = ex.getPattern().isEmpty() ? "" : " at `" + ex.getPattern() + "`";
		if ("invalid repeat count".equals(ex.getDescription()) && exceedsMaxRepeat(ex.getPattern())) {
			return new InvalidPatternException(
					"pattern is too complex: the repetition count" + at + " exceeds the limit of " + MAX_REPEAT);
		}
		return new InvalidPatternException("pattern is not valid RE2 syntax: " + ex.getDescription() + at);
	}

	/** Whether a repetition such as {@code {2,1001}} has a count over the limit. */
	private static boolean exceedsMaxRepeat(String repetition) {
		for (String number : repetition.split("[^0-9]+")) {
			if (!number.isEmpty() && (number.length() > 4 || Integer.parseInt(number) > MAX_REPEAT)) {
				return true;
			}
		}
		return false;
	}

	public String source() {
		return this.source;
	}

	/**
	 * How the scanner searches for this pattern, for metrics and logs: {@code full},
	 * {@code literals}, {@code lines}, {@code windows}, {@code anchored} or
	 * {@code full_if_candidate} (see docs/matching.md). A handful of values, so a fine
	 * label.
	 */
	public String engineMode() {
		return this.engineMode;
	}

	Pattern compiled() {
		return this.compiled;
	}

	ScanPlan plan() {
		return this.plan;
	}

	@Override
	public String toString() {
		return this.source;
	}

}
