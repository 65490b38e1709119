package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredLiteralsTests {

	private static RequiredLiterals of(String pattern) {
		return RequiredLiterals.of(Re2j.parse(pattern));
	}

	private static List<String> texts(List<Needle> needles) {
		return needles.stream().map((n) -> new String(n.bytes(), StandardCharsets.UTF_8)).toList();
	}

	@Test
	void aPlainLiteralIsTheOneExactStringItMatches() {
		RequiredLiterals required = of("sk_live_");
		assertThat(required.exact())
			.hasValueSatisfying((r) -> assertThat(texts(r.needles())).containsExactly("sk_live_"));
		Requirement best = required.best().orElseThrow();
		assertThat(texts(best.needles())).containsExactly("sk_live_");
		assertThat(best.before()).isZero();
		assertThat(best.after()).isZero();
	}

	@Test
	void anAlternationOfLiteralsKeepsThePatternsOrderOfPreference() {
		assertThat(of("secret|password|api_key").exact().orElseThrow().needles()).extracting(Needle::bytes)
			.extracting((b) -> new String(b, StandardCharsets.UTF_8))
			.containsExactly("secret", "password", "api_key");
	}

	@Test
	void smallAlternationsSideBySideMultiplyOutIntoLongerLiterals() {
		assertThat(texts(of("(?:ab|cd)(?:ef|gh)").exact().orElseThrow().needles())).containsExactly("abef", "abgh",
				"cdef", "cdgh");
	}

	@Test
	void aProductOverTheNeedleLimitIsCutIntoRunsAndIsNoLongerExact() {
		RequiredLiterals required = of("(?:aa|bb)(?:cc|dd)(?:ee|ff)(?:gg|hh)(?:ii|jj)(?:kk|ll)");
		assertThat(required.exact()).isEmpty();
		Requirement best = required.best().orElseThrow();
		assertThat(best.needles()).hasSize(Requirement.MAX_NEEDLES);
		assertThat(texts(best.needles())).contains("aacceeggii", "bbddffhhjj");
		assertThat(best.after()).isEqualTo(2);
	}

	@Test
	void theRarestLongestLiteralIsChosenWithHowFarAMatchReachesAroundIt() {
		Requirement best = of("foo[0-9]{1,3}barbaz-[a-z]{2}").best().orElseThrow();
		assertThat(texts(best.needles())).containsExactly("barbaz-");
		assertThat(best.before()).isEqualTo(6);
		assertThat(best.after()).isEqualTo(2);
	}

	@Test
	void anUnboundedRepetitionAfterALiteralLeavesItsReachUnbounded() {
		Requirement best = of("(?:token)+").best().orElseThrow();
		assertThat(texts(best.needles())).containsExactly("token");
		assertThat(best.before()).isZero();
		assertThat(best.after()).isEqualTo(Regex.UNBOUNDED);
	}

	@Test
	void aCountedRepetitionOfAnExactStringIsExactToo() {
		assertThat(texts(of("(?:ab){3}").exact().orElseThrow().needles())).containsExactly("ababab");
	}

	@Test
	void caseInsensitiveLettersMakeAFoldedNeedle() {
		List<Needle> needles = of("(?i)PassWord").exact().orElseThrow().needles();
		assertThat(needles).containsExactly(new Needle("password".getBytes(StandardCharsets.UTF_8), true));
	}

	@Test
	void aRepeatedClassIsRequiredAsARunOfItsBytes() {
		Requirement best = of("[A-Za-z]{30,40}").best().orElseThrow();
		assertThat(best.isRun()).isTrue();
		assertThat(best.run().length()).isEqualTo(30);
		assertThat(best.run().ascii()['q']).isTrue();
		assertThat(best.run().ascii()['1']).isFalse();
		assertThat(best.after()).isEqualTo(10);
	}

	@Test
	void aPatternThatMayMatchTheEmptyStringRequiresNothing() {
		RequiredLiterals required = of("(?:abc)?x*");
		assertThat(required.best()).isEmpty();
		assertThat(required.exact()).isEmpty();
	}

	@Test
	void shortLiteralsAmongSeveralAreNotWorthAPrefilter() {
		assertThat(of("a|bc|def").best()).isEmpty();
	}

	@Test
	void otherSingleLiteralsAreAlsoRequiredRarestFirstAndWithoutTheChosenOne() {
		RequiredLiterals required = of("hello[0-9]+world[0-9]+zq_x[0-9]+hello");
		Requirement best = required.best().orElseThrow();
		List<Needle> also = required.alsoRequired(best, 2);
		assertThat(also).hasSize(2).doesNotContainAnyElementsOf(best.needles());
		assertThat(also).isSortedAccordingTo(Comparator.comparingInt(Needle::commonness));
		assertThat(required.alsoRequired(best, 1)).containsExactly(also.getFirst());
	}

}
