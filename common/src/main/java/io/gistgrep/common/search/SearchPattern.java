package io.gistgrep.common.search;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A pattern compiled in RE2 syntax. RE2 (here re2j) matches in time linear in the input,
 * so an untrusted pattern cannot hang a worker; it has no backreferences or look-around.
 */
public final class SearchPattern {

	public static final int DEFAULT_MAX_LENGTH = 1000;

	private final String source;

	private final Pattern compiled;

	private SearchPattern(String source, Pattern compiled) {
		this.source = source;
		this.compiled = compiled;
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
		try {
			return new SearchPattern(source, Pattern.compile(source));
		}
		catch (PatternSyntaxException ex) {
			throw new InvalidPatternException("pattern is not valid RE2 syntax: " + ex.getDescription()
					+ (ex.getPattern().isEmpty() ? "" : " at `" + ex.getPattern() + "`"));
		}
	}

	public String source() {
		return this.source;
	}

	Pattern compiled() {
		return this.compiled;
	}

	@Override
	public String toString() {
		return this.source;
	}

}
