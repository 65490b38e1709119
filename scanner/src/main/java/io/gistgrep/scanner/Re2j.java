package io.gistgrep.scanner;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import com.google.re2j.PatternSyntaxException;

/**
 * The two parts of re2j that its public API does not offer: the parse tree (to extract
 * literals and measure the program before compiling it) and Unicode simple case folding
 * as RE2 applies it. Reached by reflection; re2j is pinned in the parent POM, and
 * {@code Re2jTests} breaks loudly if an upgrade moves these members.
 */
final class Re2j {

	/** re2j's flags for {@code Pattern.compile(source)}: Perl classes and syntax. */
	private static final int PERL = 212;

	private static final int FOLD_CASE = 1;

	private static final int NON_GREEDY = 32;

	private static final Method PARSE;

	private static final Method SIMPLE_FOLD;

	private static final Field OP;

	private static final Field FLAGS;

	private static final Field SUBS;

	private static final Field RUNES;

	private static final Field MIN;

	private static final Field MAX;

	static {
		try {
			Class<?> parser = Class.forName("com.google.re2j.Parser");
			Class<?> regexp = Class.forName("com.google.re2j.Regexp");
			PARSE = accessible(parser.getDeclaredMethod("parse", String.class, int.class));
			SIMPLE_FOLD = accessible(
					Class.forName("com.google.re2j.Unicode").getDeclaredMethod("simpleFold", int.class));
			OP = accessible(regexp.getDeclaredField("op"));
			FLAGS = accessible(regexp.getDeclaredField("flags"));
			SUBS = accessible(regexp.getDeclaredField("subs"));
			RUNES = accessible(regexp.getDeclaredField("runes"));
			MIN = accessible(regexp.getDeclaredField("min"));
			MAX = accessible(regexp.getDeclaredField("max"));
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private Re2j() {
	}

	private static <T extends java.lang.reflect.AccessibleObject> T accessible(T member) {
		member.setAccessible(true);
		return member;
	}

	/** Parses {@code source} exactly as {@code Pattern.compile(source)} would. */
	static Regex parse(String source) {
		try {
			return convert(PARSE.invoke(null, source, PERL));
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof PatternSyntaxException syntax) {
				throw syntax;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The next code point in {@code rune}'s case-folding orbit, as RE2 folds. */
	static int simpleFold(int rune) {
		try {
			return (int) SIMPLE_FOLD.invoke(null, rune);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The code points that match {@code rune} case-insensitively, itself included. */
	static List<Integer> foldOrbit(int rune) {
		List<Integer> orbit = new ArrayList<>();
		int r = rune;
		do {
			orbit.add(r);
			r = simpleFold(r);
		}
		while (r != rune && orbit.size() < 8);
		return orbit;
	}

	private static Regex convert(Object re) throws IllegalAccessException {
		String op = ((Enum<?>) OP.get(re)).name();
		int flags = FLAGS.getInt(re);
		Object[] subs = (Object[]) SUBS.get(re);
		int[] runes = (int[]) RUNES.get(re);
		boolean greedy = (flags & NON_GREEDY) == 0;
		return switch (op) {
			case "NO_MATCH" -> new Regex.NoMatch();
			case "EMPTY_MATCH" -> new Regex.Assertion(Regex.Assertion.Kind.EMPTY);
			case "LITERAL" -> new Regex.Literal(runes.clone(), (flags & FOLD_CASE) != 0);
			case "CHAR_CLASS" -> new Regex.CharClass(runes.clone());
			case "ANY_CHAR_NOT_NL" ->
				new Regex.CharClass(new int[] { 0, '\n' - 1, '\n' + 1, Character.MAX_CODE_POINT });
			case "ANY_CHAR" -> new Regex.CharClass(new int[] { 0, Character.MAX_CODE_POINT });
			case "BEGIN_LINE" -> new Regex.Assertion(Regex.Assertion.Kind.BEGIN_LINE);
			case "END_LINE" -> new Regex.Assertion(Regex.Assertion.Kind.END_LINE);
			case "BEGIN_TEXT" -> new Regex.Assertion(Regex.Assertion.Kind.BEGIN_TEXT);
			case "END_TEXT" -> new Regex.Assertion(Regex.Assertion.Kind.END_TEXT);
			case "WORD_BOUNDARY" -> new Regex.Assertion(Regex.Assertion.Kind.WORD_BOUNDARY);
			case "NO_WORD_BOUNDARY" -> new Regex.Assertion(Regex.Assertion.Kind.NO_WORD_BOUNDARY);
			case "CAPTURE" -> convert(subs[0]);
			case "STAR" -> new Regex.Repeat(convert(subs[0]), 0, -1, greedy);
			case "PLUS" -> new Regex.Repeat(convert(subs[0]), 1, -1, greedy);
			case "QUEST" -> new Regex.Repeat(convert(subs[0]), 0, 1, greedy);
			case "REPEAT" -> new Regex.Repeat(convert(subs[0]), MIN.getInt(re), MAX.getInt(re), greedy);
			case "CONCAT" -> new Regex.Concat(convertAll(subs));
			case "ALTERNATE" -> new Regex.Alternation(convertAll(subs));
			default -> throw new IllegalStateException("unexpected re2j node " + op);
		};
	}

	private static List<Regex> convertAll(Object[] subs) throws IllegalAccessException {
		List<Regex> out = new ArrayList<>(subs.length);
		for (Object sub : subs) {
			out.add(convert(sub));
		}
		return out;
	}

}
