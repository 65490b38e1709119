package io.gistgrep.scanner;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** re2j's internals that the scanner reaches: an upgrade that moves them fails here. */
class Re2jTests {

	@Test
	void theParseTreeComesBackWithFlagsResolvedIntoNodes() {
		List<Regex> branches = ((Regex.Alternation) Re2j.parse("(?i)ab+|[0-9]$")).subs();
		List<Regex> first = ((Regex.Concat) branches.get(0)).subs();
		Regex.Literal a = (Regex.Literal) first.get(0);
		assertThat(a.fold()).isTrue();
		assertThat(Character.toLowerCase(a.runes()[0])).isEqualTo('a');
		Regex.Repeat plus = (Regex.Repeat) first.get(1);
		assertThat(plus.min()).isEqualTo(1);
		assertThat(plus.max()).isEqualTo(-1);
		assertThat(plus.greedy()).isTrue();
		List<Regex> second = ((Regex.Concat) branches.get(1)).subs();
		assertThat(((Regex.CharClass) second.get(0)).ranges()).containsExactly('0', '9');
		assertThat(second.get(1)).isEqualTo(new Regex.Assertion(Regex.Assertion.Kind.END_TEXT));
	}

	@Test
	void caseFoldingOrbitsAreRe2s() {
		assertThat(Re2j.foldOrbit('k')).containsExactlyInAnyOrder((int) 'k', (int) 'K', 0x212A);
		assertThat(Re2j.foldOrbit('s')).containsExactlyInAnyOrder((int) 's', (int) 'S', 0x17F);
		assertThat(Re2j.foldOrbit('1')).containsExactly((int) '1');
	}

}
