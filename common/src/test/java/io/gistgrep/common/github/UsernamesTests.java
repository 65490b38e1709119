package io.gistgrep.common.github;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class UsernamesTests {

	@ParameterizedTest
	@ValueSource(strings = { "a", "octocat", "justdionysus", "Octo-Cat", "a1-b2-c3", "0",
			"abcdefghijabcdefghijabcdefghijabcdefghi" })
	void gitHubsRulesAcceptTheseNames(String name) {
		assertThat(Usernames.problem(name)).isEmpty();
		assertThat(Usernames.isValid(name)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "-octocat", "octocat-", "octo--cat", "octo_cat", "octo cat", "octo.cat", "ünï",
			"abcdefghijabcdefghijabcdefghijabcdefghij", "../etc", "a/b", "a?b", "a\nb" })
	void gitHubsRulesRefuseTheseNames(String name) {
		assertThat(Usernames.problem(name)).isPresent();
		assertThat(Usernames.isValid(name)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "abcdefghijabcdefghijabcdefghijabcdefghij" })
	void aTooLongNameSaysSo(String name) {
		assertThat(Usernames.problem(name)).hasValue("username must be at most 39 characters long");
	}

}
