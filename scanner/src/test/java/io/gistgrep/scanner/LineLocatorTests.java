package io.gistgrep.scanner;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineLocatorTests {

	@Test
	void matchesAreLocatedOnTheirLinesMovingForward() {
		LineLocator lines = new LineLocator("ab\ncd\r\nef", 7);
		assertThat(lines.locate(0, 1, 100)).isEqualTo(new LineMatch(7, "ab", 0, 0, 1));
		assertThat(lines.locate(4, 5, 100)).isEqualTo(new LineMatch(8, "cd", 0, 1, 2));
		assertThat(lines.locate(7, 9, 100)).isEqualTo(new LineMatch(9, "ef", 0, 0, 2));
	}

	@Test
	void aMatchRunningPastItsLineIsCutAtTheLinesEndWithoutTheCarriageReturn() {
		assertThat(new LineLocator("xab\r\ncd", 1).locate(1, 6, 100)).isEqualTo(new LineMatch(1, "xab", 0, 1, 3));
	}

	@Test
	void aLongLineIsCutAroundTheMatch() {
		String line = "0123456789".repeat(10);
		assertThat(new LineLocator(line, 1).locate(50, 52, 10)).isEqualTo(new LineMatch(1, "6789012345", 46, 50, 52));
	}

	@Test
	void aCutNeverSplitsASurrogatePairAndOffsetsCountCodePoints() {
		String line = "😀".repeat(20);
		LineMatch match = new LineLocator(line, 1).locate(20, 22, 5);
		assertThat(match.text()).isEqualTo("😀😀");
		assertThat(match.start()).isEqualTo(10);
		assertThat(match.end()).isEqualTo(11);
		assertThat(match.textStart()).isEqualTo(10);
	}

}
