package io.gistgrep.scanner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SearchPatternTests {

	@ParameterizedTest
	@ValueSource(strings = { "TODO\\b", "TerbiumLabsChallenge_[0-9]+", "(?i)password\\s*[:=]\\s*\\S+", "^#!",
			"(?m)^import ", "\\p{Greek}+", "a{2,5}" })
	void re2PatternsCompile(String source) {
		assertThat(SearchPattern.compile(source).source()).isEqualTo(source);
	}

	@ParameterizedTest
	@ValueSource(strings = { "(a", "a)", "[z-a]", "*a", "(?<=a)b", "(?=a)", "(a)\\1", "a{2,1}" })
	void invalidOrNonRe2PatternsAreRefusedWithAReason(String source) {
		assertThatExceptionOfType(InvalidPatternException.class).isThrownBy(() -> SearchPattern.compile(source))
			.withMessageStartingWith("pattern is not valid RE2 syntax: ");
	}

	@Test
	void anEmptyPatternIsRefused() {
		assertThatExceptionOfType(InvalidPatternException.class).isThrownBy(() -> SearchPattern.compile(""))
			.withMessage("pattern must not be empty");
	}

	@Test
	void aPatternOverTheLengthLimitIsRefused() {
		assertThat(SearchPattern.compile("a".repeat(1000)).source()).hasSize(1000);
		assertThatExceptionOfType(InvalidPatternException.class)
			.isThrownBy(() -> SearchPattern.compile("a".repeat(1001)))
			.withMessage("pattern must be at most 1000 characters long");
	}

	@Test
	void nestedRepetitionsThatWouldCompileToAHugeProgramAreRefusedWithTheReason() {
		assertThatExceptionOfType(InvalidPatternException.class)
			.isThrownBy(() -> SearchPattern.compile("((a{100}){100}){100}"))
			.withMessage("pattern is too complex: it would compile to about 2,010,100 instructions, over the limit of "
					+ "5,000 (counted repetitions multiply when nested, as in `(a{100}){100}`)");
		assertThatExceptionOfType(InvalidPatternException.class)
			.isThrownBy(() -> SearchPattern.compile("(\\w{1000}){5}"))
			.withMessageStartingWith("pattern is too complex: it would compile to about ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a{1001}", "a{2,1001}", "(ab){1,99999}", "x{1000000}" })
	void repetitionCountsOverTheLimitAreRefusedAsTooComplex(String source) {
		assertThatExceptionOfType(InvalidPatternException.class).isThrownBy(() -> SearchPattern.compile(source))
			.withMessageStartingWith("pattern is too complex: the repetition count at `{")
			.withMessageEndingWith("` exceeds the limit of 1000");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a{1000}", "\\w{1,1000}", "[A-Za-z]{30}", "(?:ab|cd){100}", "\\p{L}{500}" })
	void largeButReasonablePatternsCompile(String source) {
		assertThat(SearchPattern.compile(source).source()).isEqualTo(source);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\\Z", "(?x) a b", "a++", "(?>a)", "(?=a)" })
	void pythonSyntaxThatRe2LacksIsRefused(String source) {
		assertThatExceptionOfType(InvalidPatternException.class).isThrownBy(() -> SearchPattern.compile(source))
			.withMessageStartingWith("pattern is not valid RE2 syntax: ");
	}

}
