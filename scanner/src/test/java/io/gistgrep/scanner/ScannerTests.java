package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ScannerTests {

	private static FileScan scan(String pattern, String text) {
		return new Scanner(SearchPattern.compile(pattern), ScanLimits.DEFAULTS)
			.scan(text.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void matchesAreLocatedByLineAndColumn() {
		FileScan scan = scan("TODO", "first\n  # TODO fix\nno\nTODO TODO\n");
		assertThat(scan.skipped()).isEmpty();
		assertThat(scan.matchCount()).isEqualTo(3);
		assertThat(scan.matches()).containsExactly(new LineMatch(2, "  # TODO fix", 0, 4, 8),
				new LineMatch(4, "TODO TODO", 0, 0, 4), new LineMatch(4, "TODO TODO", 0, 5, 9));
	}

	@Test
	void caretAndDollarAnchorAtTheWholeTextUnlessMultiLineIsAsked() {
		String text = "one\ntwo\nthree";
		assertThat(scan("^two", text).matched()).isFalse();
		assertThat(scan("(?m)^two$", text).matches()).containsExactly(new LineMatch(2, "two", 0, 0, 3));
		assertThat(scan("^one", text).matched()).isTrue();
		assertThat(scan("three$", text).matched()).isTrue();
	}

	@Test
	void dollarDoesNotMatchBeforeAFinalNewlineUnlikePython() {
		// Python's re.search("end$", "the end\n") matches; RE2 without (?m) does not.
		assertThat(scan("end$", "the end\n").matched()).isFalse();
		assertThat(scan("(?m)end$", "the end\n").matched()).isTrue();
		assertThat(scan("end\\n?\\z", "the end\n").matched()).isTrue();
	}

	@Test
	void backslashDIsAsciiOnlyUnlikePython() {
		// Python 3's \d matches any Unicode digit, such as the Arabic-Indic digit ٣.
		assertThat(scan("\\d", "٣").matched()).isFalse();
		assertThat(scan("\\p{Nd}", "٣").matched()).isTrue();
	}

	@Test
	void columnsCountCodePointsNotUtf16Units() {
		FileScan scan = scan("x+", "😀ü xx");
		assertThat(scan.matches()).containsExactly(new LineMatch(1, "😀ü xx", 0, 3, 5));
	}

	@Test
	void longLinesAreCutAroundTheMatchWithItsOffset() {
		String line = "a".repeat(2000) + "NEEDLE" + "b".repeat(2000);
		LineMatch match = scan("NEEDLE", line).matches().getFirst();
		assertThat(match.text()).hasSize(500).contains("NEEDLE");
		assertThat(match.start()).isEqualTo(2000);
		assertThat(match.end()).isEqualTo(2006);
		assertThat(line.substring(match.textStart(), match.textStart() + 500)).isEqualTo(match.text());
		assertThat(match.text().substring(match.start() - match.textStart(), match.end() - match.textStart()))
			.isEqualTo("NEEDLE");
	}

	@Test
	void aMatchAcrossLinesIsReportedOnItsFirstLineAndCutAtItsEnd() {
		FileScan scan = scan("b\\nc", "a\r\nab\ncd");
		assertThat(scan.matches()).containsExactly(new LineMatch(2, "ab", 0, 1, 2));
	}

	@Test
	void onlyTheFirstMatchesAreStoredButAllAreCounted() {
		FileScan scan = new Scanner(SearchPattern.compile("x"), new ScanLimits(3, 500, 8192)).scan("x\n".repeat(10));
		assertThat(scan.matchCount()).isEqualTo(10);
		assertThat(scan.matches()).extracting(LineMatch::line).containsExactly(1, 2, 3);
	}

	@Test
	void aNulByteInTheFirst8KiBMarksTheFileBinary() {
		byte[] binary = "abc\0TODO".getBytes(StandardCharsets.UTF_8);
		Scanner scanner = new Scanner(SearchPattern.compile("TODO"), ScanLimits.DEFAULTS);
		assertThat(scanner.scan(binary).skipped()).hasValue(FileScan.BINARY);
		assertThat(scanner.scan(binary).matchCount()).isZero();
		byte[] lateNul = ("TODO" + "a".repeat(9000) + "\0").getBytes(StandardCharsets.UTF_8);
		assertThat(scanner.scan(lateNul).skipped()).isEmpty();
		assertThat(scanner.scan(lateNul).matchCount()).isEqualTo(1);
	}

	@Test
	void malformedUtf8IsReplacedNotFatal() {
		byte[] bytes = { 'o', 'k', (byte) 0xC3, (byte) 0x28, ' ', 'T', 'O', 'D', 'O' };
		FileScan scan = new Scanner(SearchPattern.compile("TODO"), ScanLimits.DEFAULTS).scan(bytes);
		assertThat(scan.matches()).containsExactly(new LineMatch(1, "ok\uFFFD( TODO", 0, 5, 9));
	}

	@Test
	void fileNamesAreNotSearchedOnlyContents() {
		assertThat(scan("secret", "nothing here").matched()).isFalse();
	}

	@Test
	void backslashWAndWordBoundariesAreAsciiOnlyUnlikePython() {
		// Python 3's \w matches é, so its \w+ takes all of "café" and sees no boundary
		// after "caf".
		assertThat(scan("\\w+", "café").matches()).containsExactly(new LineMatch(1, "café", 0, 0, 3));
		assertThat(scan("caf\\b", "café").matched()).isTrue();
		assertThat(scan("\\pL+", "café").matches()).containsExactly(new LineMatch(1, "café", 0, 0, 4));
	}

	@Test
	void backslashSIsAsciiWhitespaceOnlyUnlikePython() {
		// Python 3's \s also matches the vertical tab and Unicode spaces such as U+00A0.
		assertThat(scan("a\\sb", "a\u000Bb").matched()).isFalse();
		assertThat(scan("a\\sb", "a\u00A0b").matched()).isFalse();
		assertThat(scan("a\\sb", "a\tb").matched()).isTrue();
		assertThat(scan("a\\p{Zs}b", "a\u00A0b").matched()).isTrue();
	}

	@Test
	void caseInsensitiveMatchingFoldsAsUnicodeSimpleCaseFoldingDoes() {
		// The long s and the Kelvin sign fold to s and k: a byte search for the ASCII
		// letters alone would miss them.
		assertThat(scan("(?i)password", "PAſſWORD").matchCount()).isEqualTo(1);
		assertThat(scan("(?i)k", "\u212A").matchCount()).isEqualTo(1);
		assertThat(scan("(?i)sk_live", "xx ſk_LIVE").matches())
			.containsExactly(new LineMatch(1, "xx ſk_LIVE", 0, 3, 10));
		// ß does not fold to ss (no full case folding).
		assertThat(scan("(?i)ss", "ß").matched()).isFalse();
	}

	@Test
	void emptyMatchesAreCountedAsPythonsFinditerCountsThem() {
		assertThat(scan("a*", "baaa").matches()).extracting(LineMatch::start, LineMatch::end)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(0, 0), org.assertj.core.groups.Tuple.tuple(1, 4),
					org.assertj.core.groups.Tuple.tuple(4, 4));
	}

	@Test
	void posixClassesAreRe2SyntaxNotACharacterSetAsInPython() {
		// Python reads [[:digit:]] as a set of the characters [, :, d, i, g and t.
		assertThat(scan("[[:digit:]]+", "x42").matches()).containsExactly(new LineMatch(1, "x42", 0, 1, 3));
		assertThat(scan("[[:digit:]]+", "dig").matched()).isFalse();
	}

	@Test
	void alternationPrefersTheFirstAlternativeThatMatchesAsPythonDoes() {
		assertThat(scan("passw|password", "password").matches()).containsExactly(new LineMatch(1, "password", 0, 0, 5));
		assertThat(scan("(?:passw|password)\\b", "password").matches())
			.containsExactly(new LineMatch(1, "password", 0, 0, 8));
	}

	@Test
	void aMatchSpanningLinesIsFoundWhateverTheCandidateLine() {
		String text = "x\npassword\n\n  =\n  hunter2 rest\npassword x\n";
		FileScan scan = scan("(?i)password\\s*[:=]\\s*\\S+", text);
		assertThat(scan.matches()).containsExactly(new LineMatch(2, "password", 0, 0, 8));
		assertThat(scan("a\\nb", "xa\nb\nca\nbb").matches()).extracting(LineMatch::line).containsExactly(1, 3);
	}

	@Test
	void anchorsKeepTheirWholeTextMeaningInsideRegions() {
		String text = "TODO first\nmiddle TODO\nlast TODO";
		assertThat(scan("^TODO", text).matches()).extracting(LineMatch::line).containsExactly(1);
		assertThat(scan("TODO$", text).matches()).extracting(LineMatch::line).containsExactly(3);
		assertThat(scan("(?m)TODO$", text).matches()).extracting(LineMatch::line).containsExactly(2, 3);
		assertThat(scan("\\bTODO\\b|^first", text).matches()).extracting(LineMatch::line).containsExactly(1, 2, 3);
	}

	@Test
	void aLiteralAlternationCountsEveryOccurrenceWithoutTheEngine() {
		String text = "secret passwd\napi_key=1 apikey secret\n".repeat(500);
		FileScan scan = scan("password|passwd|secret|api_key|apikey|access_token|private_key|client_secret", text);
		assertThat(scan.matchCount()).isEqualTo(2500);
		assertThat(scan.matches()).hasSize(100);
		assertThat(scan.matches().get(3)).isEqualTo(new LineMatch(2, "api_key=1 apikey secret", 0, 10, 16));
	}

	@Test
	void aFileThatRunsOverItsTimeBudgetIsSkippedAndTheNextIsScanned() {
		Scanner scanner = new Scanner(SearchPattern.compile("(a|b)*c"),
				new ScanLimits(100, 500, 8192, Duration.ofNanos(1)));
		assertThat(scanner.scan("ab".repeat(50_000) + "c").skipped()).hasValue(FileScan.SCAN_TIMEOUT);
		Scanner patient = new Scanner(SearchPattern.compile("(a|b)*c"), ScanLimits.DEFAULTS);
		assertThat(patient.scan("ab".repeat(50_000) + "c").matchCount()).isEqualTo(1);
	}

	/**
	 * Patterns that take a backtracking engine exponential or polynomial time, on 100 KB
	 * built to trigger it. They must finish (the benchmark measures how fast: well under
	 * 50 ms each) and find what RE2's semantics say.
	 */
	@ParameterizedTest
	@CsvSource(delimiterString = " ; ", textBlock = """
			(a+)+$ ; a ; ! ; 0
			(a|aa)+$ ; a ; ! ; 0
			(.*,){12}X ; x, ; '' ; 0
			(a?){28}a{28} ; a ; '' ; 1786
			(a|b)*c ; ab ; '' ; 0
			(x+x+)+y ; x ; '' ; 0
			^(\\w+\\s?)*$ ; word ; ! ; 0
			(a+)+$ ; a ; '' ; 1
			(a|b)*c ; ab ; c ; 1
			""")
	void adversarialPatternsFinishInLinearTime(String pattern, String unit, String tail, int matches) {
		String text = unit.repeat(100_000 / unit.length()) + tail;
		FileScan scan = assertTimeoutPreemptively(Duration.ofSeconds(20),
				() -> new Scanner(SearchPattern.compile(pattern), ScanLimits.DEFAULTS).scan(text));
		assertThat(scan.skipped()).isEmpty();
		assertThat(scan.matchCount()).isEqualTo(matches);
	}

}
