package io.gistgrep.scanner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ScanPlanTests {

	private static ScanPlan plan(String pattern) {
		return SearchPattern.compile(pattern).plan();
	}

	@ParameterizedTest
	@CsvSource(delimiterString = " ; ", textBlock = """
			sk_live_ ; LITERALS
			password|secret|api_key ; LITERALS
			AKIA[0-9A-Z]{16} ; LINES
			\\bsecret\\b ; LINES
			\\w+@\\w+\\.com ; LINES
			[A-Za-z]{30} ; LINES
			BEGIN(?s:.){0,100}END ; WINDOWS
			BEGIN(?s:.)* ; ANCHORED
			(?s:.)*BEGIN(?s:.)* ; FULL_IF_CANDIDATE
			a* ; FULL
			[a-z\\n]{30} ; FULL
			""")
	void eachPatternIsSearchedInTheModeItsReachAllows(String pattern, ScanPlan.Mode mode) {
		assertThat(plan(pattern).mode).isEqualTo(mode);
	}

	@Test
	void eachModeHasItsOwnSearch() {
		assertThat(ScanPlan.Mode.FULL.search).isInstanceOf(FullMode.class);
		assertThat(ScanPlan.Mode.FULL_IF_CANDIDATE.search).isInstanceOf(FullIfCandidateMode.class);
		assertThat(ScanPlan.Mode.LITERALS.search).isInstanceOf(LiteralsMode.class);
		assertThat(ScanPlan.Mode.LINES.search).isInstanceOf(LinesMode.class);
		assertThat(ScanPlan.Mode.WINDOWS.search).isInstanceOf(WindowsMode.class);
		assertThat(ScanPlan.Mode.ANCHORED.search).isInstanceOf(AnchoredMode.class);
	}

	@Test
	void aLineMustAlsoHoldTheOtherRequiredLiterals() {
		ScanPlan plan = plan("hello[0-9]+world");
		assertThat(plan.mode).isEqualTo(ScanPlan.Mode.LINES);
		assertThat(plan.alsoRequired).hasSize(1);
	}

	@Test
	void literalsModeKeepsTheLiteralsInThePatternsOrder() {
		assertThat(plan("password|passwd").literals).extracting(Needle::length).containsExactly(8, 6);
	}

	@Test
	void foldedLettersThatOtherCodePointsFoldToAreWatchedFor() {
		assertThat(plan("(?i)sk_live").foldEscapes).hasSize(2);
		assertThat(plan("sk_live").foldEscapes).isEmpty();
	}

	@Test
	void windowsReachAsManyBytesAsTheCodePointsCanTake() {
		ScanPlan plan = plan("BEGIN_KEY(?s:.){0,100}x");
		assertThat(plan.mode).isEqualTo(ScanPlan.Mode.WINDOWS);
		assertThat(plan.beforeBytes).isZero();
		assertThat(plan.afterBytes).isEqualTo(101 * 4);
	}

}
