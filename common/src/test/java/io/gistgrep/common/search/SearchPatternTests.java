package io.gistgrep.common.search;

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

}
