package io.gistgrep.worker.github;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AllowedHostsTests {

	private final AllowedHosts allowed = new AllowedHosts(GitHubTesting.properties(
			Map.of("api-url", "https://api.example:8443/v3", "raw-hosts", "raw.example", "git-hosts", "Git.Example")));

	@Test
	void rawUrlsOnARawHostOrTheApiHostAreAllowedWhateverTheCase() {
		assertThat(this.allowed.rawUrl("https://RAW.example/u/1/raw/abc/a.txt").getHost()).isEqualTo("RAW.example");
		assertThat(this.allowed.rawUrl("http://api.example/u/1/raw/abc/a.txt").getPath())
			.isEqualTo("/u/1/raw/abc/a.txt");
	}

	@Test
	void pullUrlsOnAGitHostOrTheApiHostAreAllowed() {
		assertThat(this.allowed.pullUrl("https://git.example/aa5a315d.git").getHost()).isEqualTo("git.example");
		assertThat(this.allowed.pullUrl("https://api.example:8443/git/aa5a315d.git").getPort()).isEqualTo(8443);
	}

	@Test
	void rawAndGitHostsAreNotInterchangeable() {
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> this.allowed.rawUrl("https://git.example/u/1/raw/abc/a.txt"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("raw-host-not-allowed"));
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> this.allowed.pullUrl("https://raw.example/aa5a315d.git"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("git-host-not-allowed"));
	}

	@Test
	void otherHostsSchemesAndUrlsWithCredentialsAreRefused() {
		for (String url : new String[] { "https://evil.example/u/1/raw/abc/a.txt", "ftp://raw.example/a.txt",
				"file:///etc/passwd", "https://user:pw@raw.example/a.txt", "https://raw.example.evil.example/a.txt",
				"/u/1/raw/abc/a.txt" }) {
			assertThatExceptionOfType(GitHubException.Unavailable.class).as(url)
				.isThrownBy(() -> this.allowed.rawUrl(url))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("raw-host-not-allowed"));
		}
	}

	@Test
	void somethingThatIsNotAUrlIsInvalid() {
		assertThatExceptionOfType(GitHubException.Unavailable.class).isThrownBy(() -> this.allowed.rawUrl("not a url"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("invalid-raw-url"));
		assertThatExceptionOfType(GitHubException.Unavailable.class).isThrownBy(() -> this.allowed.pullUrl("a b"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("invalid-pull-url"));
	}

}
