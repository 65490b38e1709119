package io.gistgrep.cli.output;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GrepTests {

	private static final String RED = "\u001b[01;31m";

	private static final String RESET = "\u001b[m";

	@Test
	void withoutColourALineIsWhereColonLineColonSpaceText() {
		Grep grep = new Grep(false, false);

		assertThat(grep.line("octocat/abc/hello.py", 12, "    # TODO fix", List.of(new Grep.Span(6, 10))))
			.isEqualTo("octocat/abc/hello.py:12:     # TODO fix");
	}

	@Test
	void withColourEachMatchIsBoldRedAndThePartsAreColouredAsGrepColoursThem() {
		Grep grep = new Grep(true, false);

		assertThat(grep.line("u/g/f", 3, "a TODO b TODO", List.of(new Grep.Span(9, 13), new Grep.Span(2, 6))))
			.isEqualTo("\u001b[35mu/g/f" + RESET + "\u001b[36m:" + RESET + "\u001b[32m3" + RESET + "\u001b[36m:" + RESET
					+ " a " + RED + "TODO" + RESET + " b " + RED + "TODO" + RESET);
	}

	@Test
	void spansCountCodePointsNotUtf16Units() {
		Grep grep = new Grep(true, false);

		String line = grep.line("f", 1, "😀 é TODO", List.of(new Grep.Span(4, 8)));

		assertThat(line).endsWith(" 😀 é " + RED + "TODO" + RESET);
	}

	@Test
	void overlappingSpansAreHighlightedOnceAndSpansPastTheEndAreClamped() {
		Grep grep = new Grep(true, false);

		String line = grep.line("f", 1, "abcdef",
				List.of(new Grep.Span(1, 4), new Grep.Span(3, 5), new Grep.Span(5, 99)));

		assertThat(line).endsWith(" a" + RED + "bcdef" + RESET);
	}

	@Test
	void onATerminalControlCharactersCannotReachIt() {
		Grep grep = new Grep(false, true);

		assertThat(grep.line("f", 1, "x\u001b]0;pwned\u0007y\tz\u009b", List.of()))
			.isEqualTo("f:1: x^[]0;pwned^Gy\tz?");
		assertThat(grep.plain("evil\rname")).isEqualTo("evil^Mname");
	}

	@Test
	void inAPipeTheTextIsLeftExactlyAsStored() {
		Grep grep = new Grep(false, false);

		assertThat(grep.line("f", 1, "x\u001by\r", List.of())).isEqualTo("f:1: x\u001by\r");
	}

}
