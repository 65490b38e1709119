package io.gistgrep.bench;

import java.util.List;

/** The patterns of issue 4's benchmark, and its adversarial cases. */
final class Suite {

	/**
	 * A pattern of the suite; {@code literal} when every match contains a literal, which
	 * is what the throughput targets are about.
	 */
	record Case(String name, String pattern, boolean literal) {
	}

	static final List<Case> PATTERNS = List.of(new Case("plain literal", "sk_live_", true),
			new Case("literal, class tail", "TerbiumLabsChallenge_[0-9]+", true),
			new Case("AWS key id", "AKIA[0-9A-Z]{16}", true),
			new Case("password assignment", "(?i)password\\s*[:=]\\s*\\S+", true),
			new Case("30 letters", "[A-Za-z]{30}", false),
			new Case("10 keywords",
					"password|passwd|secret|api_key|apikey|access_token|private_key|client_secret|auth_token|credentials",
					true),
			new Case("e-mail", "\\w+@\\w+\\.com", true));

	/** A pattern that backtracking engines take exponential or polynomial time on. */
	record Adversarial(String pattern, String unit, String tail) {

		/** 100 KB of {@code unit}, then {@code tail}. */
		String input() {
			return this.unit.repeat(100_000 / this.unit.length()) + this.tail;
		}

	}

	static final List<Adversarial> ADVERSARIAL = List.of(new Adversarial("(a+)+$", "a", "!"),
			new Adversarial("(a|aa)+$", "a", "!"), new Adversarial("(.*,){12}X", "x,", ""),
			new Adversarial("(a?){28}a{28}", "a", ""), new Adversarial("(a|b)*c", "ab", ""),
			new Adversarial("(x+x+)+y", "x", ""), new Adversarial("^(\\w+\\s?)*$", "word ", "!"));

	private Suite() {
	}

}
