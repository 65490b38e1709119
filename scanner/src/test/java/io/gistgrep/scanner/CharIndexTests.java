package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CharIndexTests {

	private static CharIndex of(byte[] bytes) {
		return new CharIndex(bytes, new String(bytes, StandardCharsets.UTF_8));
	}

	@Test
	void asciiByteOffsetsAreCharOffsets() {
		CharIndex index = of("hello".getBytes(StandardCharsets.UTF_8));
		assertThat(index.at(3)).isEqualTo(3);
		assertThat(index.at(5)).isEqualTo(5);
	}

	@Test
	void multiByteCodePointsCountOneCharAndFourBytesCountTwo() {
		CharIndex index = of("é😀x".getBytes(StandardCharsets.UTF_8));
		assertThat(index.at(0)).isZero();
		assertThat(index.at(2)).isEqualTo(1);
		assertThat(index.at(6)).isEqualTo(3);
		assertThat(index.at(7)).isEqualTo(4);
	}

	@Test
	void malformedBytesCountAsTheReplacementCharactersTheyDecodeTo() {
		CharIndex index = of(new byte[] { 'a', (byte) 0xFF, (byte) 0xC3, 'b', 'c' });
		assertThat(index.at(1)).isEqualTo(1);
		assertThat(index.at(4)).isEqualTo(4);
		assertThat(index.at(5)).isEqualTo(5);
	}

}
