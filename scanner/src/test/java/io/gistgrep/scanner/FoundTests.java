package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FoundTests {

	@Test
	void everyMatchIsCountedButOnlyTheFirstAreStored() {
		byte[] bytes = "abc abc abc".getBytes(StandardCharsets.UTF_8);
		Found found = new Found(bytes, new ScanLimits(2, 100, 8192));
		LineLocator lines = new LineLocator("abc abc abc", 1);
		found.add(lines, 0, 3);
		found.add(lines, 4, 7);
		assertThat(found.storing()).isFalse();
		found.add(lines, 8, 11);
		assertThat(found.count()).isEqualTo(3);
		assertThat(found.stored()).containsExactly(new LineMatch(1, "abc abc abc", 0, 0, 3),
				new LineMatch(1, "abc abc abc", 0, 4, 7));
	}

	@Test
	void aMatchFoundInTheBytesIsLocatedByDecodingItsLineOnly() {
		byte[] bytes = "x\nça secret\ny".getBytes(StandardCharsets.UTF_8);
		Found found = new Found(bytes, ScanLimits.DEFAULTS);
		found.addBytes(6, 12);
		assertThat(found.stored()).containsExactly(new LineMatch(2, "ça secret", 0, 3, 9));
	}

	@Test
	void lineNumbersOfGrowingByteOffsetsCountTheNewlinesBefore() {
		Found found = new Found("a\nb\nc\nd".getBytes(StandardCharsets.UTF_8), ScanLimits.DEFAULTS);
		assertThat(found.lineNumberAt(0)).isEqualTo(1);
		assertThat(found.lineNumberAt(3)).isEqualTo(2);
		assertThat(found.lineNumberAt(6)).isEqualTo(4);
	}

}
