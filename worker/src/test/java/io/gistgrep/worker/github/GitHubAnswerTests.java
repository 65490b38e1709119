package io.gistgrep.worker.github;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** GitHub's statuses and headers, as plain values, read as the client acts on them. */
class GitHubAnswerTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	private static final RateBudget.Credential TOKEN = new RateBudget.Credential("token-0123456789ab", "secret");

	private final List<Instant> blocked = new ArrayList<>();

	private final Consumer<Instant> block = this.blocked::add;

	private static GitHubAnswer answer(int status, Map<String, String> headers) {
		Map<String, List<String>> values = new LinkedHashMap<>();
		headers.forEach((name, value) -> values.put(name, List.of(value)));
		return new GitHubAnswer(status, HttpHeaders.of(values, (name, value) -> true), NOW);
	}

	private static Map<String, String> budget(long remaining, Instant reset) {
		return Map.of("x-ratelimit-remaining", Long.toString(remaining), "x-ratelimit-reset",
				Long.toString(reset.getEpochSecond()));
	}

	@Test
	void aListingThatAnswers404IsAnUnknownUser() {
		assertThatExceptionOfType(GitHubException.UserNotFound.class)
			.isThrownBy(() -> answer(404, Map.of()).checkListing("octocat", "listing", TOKEN, this.block))
			.withMessageContaining("octocat");
	}

	@Test
	void aGistThatAnswers404IsUnavailable() {
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> answer(404, Map.of()).checkGist("aa5a315d", TOKEN, this.block))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("gist-not-found"));
	}

	@Test
	void a401MeansBadCredentials() {
		assertThatExceptionOfType(GitHubException.BadCredentials.class)
			.isThrownBy(() -> answer(401, Map.of()).checkListing("octocat", "listing", TOKEN, this.block));
	}

	@Test
	void a200PassesAndReportsItsBudget() {
		GitHubAnswer answer = answer(200, budget(4321, NOW.plusSeconds(600)));

		assertThatNoException().isThrownBy(() -> answer.checkApi("listing", TOKEN, this.block));
		assertThat(answer.rateLimit())
			.hasValue(new GitHubAnswer.RateLimit(4321, NOW.plusSeconds(600).getEpochSecond()));
		assertThat(answer(200, Map.of("x-ratelimit-remaining", "12")).rateLimit()).as("no reset").isEmpty();
		assertThat(answer(200, Map.of("x-ratelimit-remaining", "many", "x-ratelimit-reset", "1")).rateLimit())
			.as("not a number")
			.isEmpty();
	}

	@Test
	void a403WithRetryAfterIsASecondaryLimitThatBlocksTheTokenForItsWait() {
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> answer(403, Map.of("retry-after", "120")).checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> assertThat(ex.retryAt()).isEqualTo(NOW.plusSeconds(120)));
		assertThat(this.blocked).containsExactly(NOW.plusSeconds(120));
	}

	@Test
	void a429WithRetryAfterOfZeroWaitsAtLeastASecond() {
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> answer(429, Map.of("retry-after", "0")).checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> assertThat(ex.retryAt()).isEqualTo(NOW.plusSeconds(1)));
		assertThat(this.blocked).containsExactly(NOW.plusSeconds(1));
	}

	@Test
	void aSpentBudgetIsRateLimitedUntilItsResetWithoutBlockingTheToken() {
		Instant reset = NOW.plusSeconds(1800);

		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> answer(403, budget(0, reset)).checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> assertThat(ex.retryAt()).isEqualTo(reset))
			.withMessageNotContaining("secret");
		assertThat(this.blocked).as("the budget recorded the spent window from the same headers").isEmpty();
	}

	@Test
	void aSpentBudgetWhoseResetHasPassedIsRetriedInASecond() {
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> answer(429, budget(0, NOW.minusSeconds(5))).checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> assertThat(ex.retryAt()).isEqualTo(NOW.plusSeconds(1)));
	}

	@Test
	void a429WithoutAWaitBlocksTheTokenForAMinute() {
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> answer(429, Map.of()).checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> assertThat(ex.retryAt()).isEqualTo(NOW.plusSeconds(60)));
		assertThat(this.blocked).containsExactly(NOW.plusSeconds(60));
	}

	@Test
	void a403WithGitHubsSecondaryLimitMessageWaitsAtLeastTheMinimumAndBoundsItsParks() {
		String body = "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes.\","
				+ "\"documentation_url\":\"https://docs.github.com\"}";
		var limits = new GitHubAnswer.SecondaryLimits(Duration.ofSeconds(90), 4);
		var answer = new GitHubAnswer(403, answer(403, budget(17, NOW.plusSeconds(600))).headers(), body, NOW, limits);
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> answer.checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> {
				assertThat(ex.retryAt()).isEqualTo(NOW.plusSeconds(90));
				assertThat(ex.secondary()).isTrue();
				assertThat(ex.maxParks()).isEqualTo(4);
			});
		assertThat(this.blocked).containsExactly(NOW.plusSeconds(90));
	}

	@Test
	void aGrowingWaitDoublesWithEachParkWithAtMostATenthOfJitterAndIsCapped() {
		var limited = GitHubException.RateLimited.growing("listing", NOW, Duration.ofMinutes(1), 6);
		assertThat(limited.retryAt(1)).isBetween(NOW.plusSeconds(60), NOW.plusSeconds(66));
		assertThat(limited.retryAt(2)).isBetween(NOW.plusSeconds(120), NOW.plusSeconds(132));
		assertThat(limited.retryAt(3)).isBetween(NOW.plusSeconds(240), NOW.plusSeconds(264));
		assertThat(limited.retryAt(40)).isBetween(NOW.plusSeconds(32 * 60), NOW.plusSeconds(32 * 66));
	}

	@Test
	void aNamedRetryAfterIsHonouredAtEveryParkWithoutGrowth() {
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> answer(403, Map.of("retry-after", "6")).checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> {
				assertThat(ex.retryAt(1)).isEqualTo(NOW.plusSeconds(6));
				assertThat(ex.retryAt(5)).isEqualTo(NOW.plusSeconds(6));
				assertThat(ex.secondary()).isTrue();
			});
	}

	@Test
	void aSpentPrimaryBudgetIsNotBoundedInParks() {
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> answer(403, budget(0, NOW.plusSeconds(600))).checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> assertThat(ex.maxParks()).isZero());
	}

	@Test
	void a403WithBudgetLeftAndNoSecondaryLimitMessageIsForbiddenNotARateLimit() {
		String body = "{\"message\":\"Resource not accessible by integration\"}";
		var answer = new GitHubAnswer(403, answer(403, budget(17, NOW.plusSeconds(600))).headers(), body, NOW,
				GitHubAnswer.SecondaryLimits.DEFAULT);
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> answer.checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo("forbidden");
				assertThat(ex.getMessage()).contains("Resource not accessible by integration");
			});
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> answer(403, Map.of()).checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("forbidden"));
		assertThat(this.blocked).isEmpty();
	}

	@Test
	void a5xxIsTransientAndOtherStatusesAreUnavailable() {
		assertThatExceptionOfType(GitHubException.Transient.class)
			.isThrownBy(() -> answer(502, Map.of()).checkApi("listing", TOKEN, this.block));
		assertThatExceptionOfType(GitHubException.Transient.class)
			.isThrownBy(() -> answer(503, Map.of()).checkRaw("/a/b"));
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> answer(422, Map.of()).checkApi("listing", TOKEN, this.block))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("http-422"));
		assertThat(this.blocked).isEmpty();
	}

	@Test
	void aContentHostThrottlesWithA429OrA403AndMayNameItsWait() {
		assertThat(answer(429, Map.of()).contentHostThrottle()).isTrue();
		assertThat(answer(403, Map.of()).contentHostThrottle()).isTrue();
		assertThat(answer(404, Map.of()).contentHostThrottle()).isFalse();
		assertThat(answer(503, Map.of()).contentHostThrottle()).isFalse();
		assertThat(answer(429, Map.of("retry-after", "30")).retryAfter()).contains(Duration.ofSeconds(30));
		assertThat(answer(429, Map.of("retry-after", "soon")).retryAfter()).isEmpty();
		String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(60).atZone(ZoneOffset.UTC));
		assertThat(answer(429, Map.of("retry-after", inAMinute)).retryAfter()).contains(Duration.ofSeconds(60));
	}

	@Test
	void aRawFileThatIsGoneIsUnavailableWithItsReason() {
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> answer(404, Map.of()).checkRaw("/a/b"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("raw-not-found"));
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> answer(410, Map.of()).checkRaw("/a/b"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("http-410"));
		assertThatNoException().isThrownBy(() -> answer(200, Map.of()).checkRaw("/a/b"));
	}

}
