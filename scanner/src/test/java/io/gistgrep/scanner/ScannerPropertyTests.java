package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On generated patterns from the part of RE2's syntax that {@code java.util.regex} reads
 * the same way, and on texts made of the pieces those patterns look for, the scanner
 * finds exactly the matches that {@code java.util.regex} finds, in the same places. The
 * patterns cover the scanner's plans (literals, lines, windows, anchored, whole text): a
 * prefilter that dropped a match, or a region cut in the wrong place, shows here.
 */
class ScannerPropertyTests {

	private static final ScanLimits ALL = new ScanLimits(100_000, 100_000, 8192);

	private static final String[] LITERALS = { "a", "b", "ab", "abc", "x", "@", "\\.", "1", "_", "ca", "Ab", "\\n" };

	private static final String[] CLASSES = { "[ab]", "[^a\\n]", "\\d", "\\w", "\\s", "[a-c]", ".", "[^b]", "\\S" };

	/** No \\b: java.util.regex counts non-ASCII letters as word characters there. */
	private static final String[] ANCHORS = { "(?m:$)", "\\A", "\\z" };

	private static final String[] QUANTIFIERS = { "*", "+", "?", "{1,3}", "{2}", "*?", "+?", "??", "{0,2}" };

	private static final String[] PIECES = { "a", "b", "ab", "abc", " ", "\n", "@", ".", "x", "A", "B", "1", "_", "cab",
			"ba", "é", "😀", "\t", "AB", "x@ab.c" };

	@Property(tries = 1000)
	void theScannerFindsWhatJavaUtilRegexFinds(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
		assertThat(scan(pattern, text)).as("pattern %s", pattern).isEqualTo(expected(pattern, text));
	}

	@Property(tries = 150)
	void longerTextsSpanningManyLinesAgreeToo(@ForAll("patterns") String pattern, @ForAll("longTexts") String text) {
		assertThat(scan(pattern, text)).as("pattern %s", pattern).isEqualTo(expected(pattern, text));
	}

	/**
	 * Against re2j searching the whole decoded text, the scanner's plans must change
	 * nothing, also for what java.util.regex reads differently: Unicode case folding (the
	 * long s, the Kelvin sign), {@code ^} and {@code $}, and malformed UTF-8.
	 */
	@Property(tries = 1000)
	void thePlansFindWhatRe2FindsInTheWholeText(@ForAll("re2Patterns") String pattern,
			@ForAll("re2Texts") byte[] bytes) {
		FileScan scan = new Scanner(SearchPattern.compile(pattern), ALL).scan(bytes);
		assertThat(scan.skipped()).isEmpty();
		String text = new String(bytes, StandardCharsets.UTF_8);
		com.google.re2j.Matcher m = com.google.re2j.Pattern.compile(pattern).matcher(text);
		int count = 0;
		List<int[]> where = new ArrayList<>();
		while (m.find()) {
			count++;
			where.add(new int[] { m.start(), m.end() });
		}
		assertThat(scan.matchCount()).as("pattern %s", pattern).isEqualTo(count);
		for (int i = 0; i < count; i++) {
			int start = where.get(i)[0];
			int lineStart = text.lastIndexOf('\n', start - 1) + 1;
			int lineEnd = text.indexOf('\n', start);
			lineEnd = (lineEnd < 0) ? text.length() : lineEnd;
			// A line's text leaves out a CR before its LF, and offsets stop at its end.
			if (lineEnd > lineStart && text.charAt(lineEnd - 1) == '\r') {
				lineEnd--;
			}
			assertThat(scan.matches().get(i).start()).as("pattern %s", pattern)
				.isEqualTo(text.codePointCount(lineStart, Math.min(start, lineEnd)));
		}
	}

	private static final String[] RE2_PARTS = { "(?i:k)", "(?i:s)", "(?i:password)", "(?i:sk)", "^", "$", "(?m:^)",
			"(?m:$)", "\\pL", "\\p{Greek}", "[^\\x00-\\x7f]", "é", "(?s:.)", "\\b", "\\B", "x", "ab", "\\n", "\\s*",
			"\\w+", "[[:upper:]]", "(?U:a+)", "(?:pass|word)", "\\x{FFFD}" };

	private static final String[] RE2_PIECES = { "a", "b", "ab", "x", " ", "\n", "k", "K", "\u212A", "s", "S", "\u017F",
			"password", "PAſſWORD", "é", "É", "α", "😀", "\r\n", "sk", "word" };

	@Provide
	Arbitrary<String> re2Patterns() {
		return Arbitraries.of(RE2_PARTS)
			.list()
			.ofMinSize(1)
			.ofMaxSize(4)
			.map((l) -> String.join("", l))
			.filter((p) -> !p.contains("\\x{FFFD}") || p.length() > 10);
	}

	@Provide
	Arbitrary<byte[]> re2Texts() {
		Arbitrary<byte[]> pieces = Arbitraries.of(RE2_PIECES).map((p) -> p.getBytes(StandardCharsets.UTF_8));
		Arbitrary<byte[]> malformed = Arbitraries.of(new byte[] { (byte) 0xC3 },
				new byte[] { (byte) 0xE2, (byte) 0x84 }, new byte[] { (byte) 0xFF });
		return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, pieces), net.jqwik.api.Tuple.of(1, malformed))
			.list()
			.ofMaxSize(60)
			.map((l) -> {
				java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
				l.forEach(out::writeBytes);
				return out.toByteArray();
			});
	}

	private static List<LineMatch> scan(String pattern, String text) {
		Statistics.label("plan").collect(SearchPattern.compile(pattern).plan().mode);
		FileScan scan = new Scanner(SearchPattern.compile(pattern), ALL).scan(text.getBytes(StandardCharsets.UTF_8));
		assertThat(scan.skipped()).isEmpty();
		assertThat(scan.matchCount()).isEqualTo(scan.matches().size());
		return scan.matches();
	}

	/** Where java.util.regex matches, as the scanner reports places. */
	private static List<LineMatch> expected(String pattern, String text) {
		Matcher m = Pattern.compile(pattern).matcher(text);
		List<LineMatch> out = new ArrayList<>();
		while (m.find()) {
			int lineStart = text.lastIndexOf('\n', m.start() - 1) + 1;
			int lineEnd = text.indexOf('\n', m.start());
			lineEnd = (lineEnd < 0) ? text.length() : lineEnd;
			int line = (int) text.substring(0, lineStart).chars().filter((c) -> c == '\n').count() + 1;
			int end = Math.min(m.end(), lineEnd);
			out.add(new LineMatch(line, text.substring(lineStart, lineEnd), 0,
					text.codePointCount(lineStart, m.start()), text.codePointCount(lineStart, end)));
		}
		return out;
	}

	@Provide
	Arbitrary<String> patterns() {
		Arbitrary<String> required = Arbitraries.oneOf(Arbitraries.of(LITERALS), Arbitraries.of(CLASSES),
				Arbitraries.of(LITERALS).list().ofMinSize(2).ofMaxSize(3).map((l) -> "(?:" + String.join("|", l) + ")"),
				Arbitraries.of(LITERALS).map((l) -> "(?i:" + l + ")"));
		Arbitrary<String> optional = part().list().ofMaxSize(3).map((l) -> String.join("", l));
		return Combinators.combine(optional, required, optional).as((a, r, b) -> a + r + b);
	}

	/** A piece that may match the empty string, never a repetition of one that can. */
	private Arbitrary<String> part() {
		Arbitrary<String> atom = Arbitraries.oneOf(Arbitraries.of(LITERALS).map((l) -> "(?:" + l + ")"),
				Arbitraries.of(CLASSES));
		Arbitrary<String> repeated = Combinators.combine(atom, Arbitraries.of(QUANTIFIERS)).as((a, q) -> a + q);
		Arbitrary<String> alternation = Combinators.combine(atom, repeated).as((a, b) -> "(?:" + a + "|" + b + ")");
		return Arbitraries.oneOf(atom, repeated, repeated, alternation, Arbitraries.of(ANCHORS),
				atom.map((a) -> "(?i:" + a + ")"));
	}

	@Provide
	Arbitrary<String> texts() {
		return Arbitraries.of(PIECES).list().ofMaxSize(40).map((l) -> String.join("", l));
	}

	@Provide
	Arbitrary<String> longTexts() {
		return Arbitraries.of(PIECES).list().ofMinSize(200).ofMaxSize(2000).map((l) -> String.join("", l));
	}

}
