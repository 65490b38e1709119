package io.gistgrep.worker.github;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Settings that would make the client impolite are refused at start-up. */
class GitHubSettingsTests {

	@Test
	void aRawFileLimitAboveGitHubsOwnIsRefusedSinceTheHostWouldAnswer403() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> GitHubTesting.properties(Map.of("max-raw-file-size", "11MB")))
			.withStackTraceContaining("cannot exceed GitHub's raw limit");
		assertThat(GitHubTesting.properties(Map.of("max-raw-file-size", "10MB")).maxRawFileSize().toMegabytes())
			.isEqualTo(10);
	}

	@Test
	void aContentHostBudgetMustAllowSomeTrafficAndCoolDownsMustGrowFromTheFirst() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> GitHubTesting.rawHostProperties(Map.of("raw.rate", "0")));
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> GitHubTesting.rawHostProperties(Map.of("raw.max-concurrency", "0")));
		assertThatExceptionOfType(BindException.class).isThrownBy(
				() -> GitHubTesting.rawHostProperties(Map.of("raw.cool-down", "1m", "raw.max-cool-down", "30s")));
		RawHostProperties defaults = GitHubTesting.rawHostProperties(Map.of());
		assertThat(defaults.rate()).isEqualTo(50);
		assertThat(defaults.maxConcurrency()).isEqualTo(32);
		assertThat(defaults.coolDown()).hasSeconds(30);
		assertThat(defaults.maxCoolDown()).hasMinutes(30);
	}

}
