package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/** Each prefilter finds what a plain position-by-position search finds, from anywhere. */
class PrefilterPropertyTests {

	@Property(tries = 500)
	void oneNeedleIsFoundWhereverItIs(@ForAll("needles") Needle needle, @ForAll("texts") byte[] text,
			@ForAll @IntRange(max = 40) int from) {
		assertFindsAll(new LiteralSearch(needle), List.of(needle), text, Math.min(from, text.length));
	}

	@Property(tries = 500)
	void theFirstOfSeveralNeedlesIsFound(@ForAll("needleLists") List<Needle> needles, @ForAll("texts") byte[] text,
			@ForAll @IntRange(max = 40) int from) {
		// A plan hands several needles to these searches only when each has two bytes.
		Assume.that(needles.stream().allMatch((n) -> n.length() >= 2));
		PairSearch.of(needles)
			.ifPresent((search) -> assertFindsAll(search, needles, text, Math.min(from, text.length)));
		assertFindsAll(new BigramSearch(needles), needles, text, Math.min(from, text.length));
	}

	@Property(tries = 300)
	void aRunOfClassBytesIsFoundAtItsFirstFullLength(@ForAll("texts") byte[] text,
			@ForAll @IntRange(min = 1, max = 6) int length) {
		boolean[] ascii = new boolean[128];
		"abAB".chars().forEach((c) -> ascii[c] = true);
		ByteRunSearch search = new ByteRunSearch(ascii, false, length);
		int from = 0;
		while (true) {
			int expected = -1;
			for (int i = from; i + length <= text.length && expected < 0; i++) {
				boolean all = true;
				for (int j = i; j < i + length; j++) {
					all &= text[j] >= 0 && ascii[text[j]];
				}
				expected = all ? i : -1;
			}
			assertThat(search.find(text, from, text.length)).isEqualTo(expected);
			if (expected < 0) {
				return;
			}
			from = expected + 1;
		}
	}

	private static void assertFindsAll(Prefilter search, List<Needle> needles, byte[] text, int start) {
		int from = start;
		while (true) {
			int expected = -1;
			for (int i = from; i < text.length && expected < 0; i++) {
				for (Needle n : needles) {
					if (i + n.length() <= text.length && n.isAt(text, i)) {
						expected = i;
					}
				}
			}
			assertThat(search.find(text, from, text.length)).isEqualTo(expected);
			if (expected < 0) {
				return;
			}
			from = expected + 1;
		}
	}

	@Provide
	Arbitrary<Needle> needles() {
		Arbitrary<String> text = Arbitraries.of("a", "b", "A", "_", "k", "é", "\n", "x")
			.list()
			.ofMinSize(1)
			.ofMaxSize(6)
			.map((l) -> String.join("", l));
		return net.jqwik.api.Combinators.combine(text, Arbitraries.of(true, false))
			.as((t, fold) -> new Needle(t.getBytes(StandardCharsets.UTF_8), fold));
	}

	@Provide
	Arbitrary<List<Needle>> needleLists() {
		return needles().list().ofMinSize(2).ofMaxSize(6);
	}

	@Provide
	Arbitrary<byte[]> texts() {
		return Arbitraries.of("a", "b", "A", "B", "_", "k", "K", "é", "\n", "x", "ab", "ba", "aab")
			.list()
			.ofMaxSize(80)
			.map((l) -> String.join("", l).getBytes(StandardCharsets.UTF_8));
	}

}
