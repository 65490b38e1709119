package io.gistgrep.worker.github;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinkHeaderTests {

	@Test
	void theNextLinkIsTakenAsGitHubGivesIt() {
		String header = "<https://api.github.com/user/123/gists?per_page=100&page=2>; rel=\"next\", "
				+ "<https://api.github.com/user/123/gists?per_page=100&page=5>; rel=\"last\"";
		assertThat(LinkHeader.find(header, "next"))
			.hasValue("https://api.github.com/user/123/gists?per_page=100&page=2");
		assertThat(LinkHeader.find(header, "last"))
			.hasValue("https://api.github.com/user/123/gists?per_page=100&page=5");
	}

	@Test
	void theLastPageHasNoNextLink() {
		String header = "<https://api.github.com/user/123/gists?per_page=100&page=4>; rel=\"prev\", "
				+ "<https://api.github.com/user/123/gists?per_page=100&page=1>; rel=\"first\"";
		assertThat(LinkHeader.find(header, "next")).isEmpty();
		assertThat(LinkHeader.find(header, "prev"))
			.hasValue("https://api.github.com/user/123/gists?per_page=100&page=4");
	}

	@Test
	void relationsAreMatchedWholeAndMayBeListedTogether() {
		assertThat(LinkHeader.find("<https://a/x>; rel=\"nextish\"", "next")).isEmpty();
		assertThat(LinkHeader.find("<https://a/x>; title=\"t\"; rel=\"prev next\"", "next")).hasValue("https://a/x");
		assertThat(LinkHeader.find("<https://a/y>;rel=next", "next")).hasValue("https://a/y");
		assertThat(LinkHeader.find("", "next")).isEmpty();
	}

}
