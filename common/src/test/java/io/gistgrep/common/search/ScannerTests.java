package io.gistgrep.common.search;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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

}
