package io.gistgrep.sim;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RateLimitTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void rateLimitHeadersCountDownWithEachRequest() {
		HttpResponse<byte[]> first = list();
		HttpResponse<byte[]> second = list();
		assertThat(SimClient.intHeader(first, "x-ratelimit-limit")).isEqualTo(60);
		assertThat(SimClient.intHeader(first, "x-ratelimit-remaining")).isEqualTo(59);
		assertThat(SimClient.intHeader(first, "x-ratelimit-used")).isEqualTo(1);
		assertThat(SimClient.intHeader(second, "x-ratelimit-remaining")).isEqualTo(58);
		assertThat(SimClient.intHeader(second, "x-ratelimit-used")).isEqualTo(2);
		assertThat(SimClient.header(second, "x-ratelimit-resource")).isEqualTo("core");
		long reset = Long.parseLong(SimClient.header(second, "x-ratelimit-reset"));
		assertThat(reset).isBetween(Instant.now().getEpochSecond() + 3500, Instant.now().getEpochSecond() + 3601);
	}

	@Test
	void aTokenHasItsOwnLargerQuota() {
		list();
		HttpResponse<byte[]> withToken = list("Authorization", "Bearer ghp_one");
		HttpResponse<byte[]> otherToken = list("Authorization", "token ghp_two");
		assertThat(SimClient.intHeader(withToken, "x-ratelimit-limit")).isEqualTo(5000);
		assertThat(SimClient.intHeader(withToken, "x-ratelimit-remaining")).isEqualTo(4999);
		assertThat(SimClient.intHeader(otherToken, "x-ratelimit-remaining")).isEqualTo(4999);
	}

	@Test
	void notFoundSpendsQuotaAndCarriesTheHeaders() {
		HttpResponse<byte[]> missing = this.client.get(this.github.apiUrl() + "/users/no-one-here/gists");
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(SimClient.intHeader(missing, "x-ratelimit-remaining")).isEqualTo(59);
	}

	@Test
	void aMatchingIfNoneMatchGetsNotModifiedWithoutSpendingQuota() {
		HttpResponse<byte[]> first = list();
		String etag = SimClient.header(first, "etag");
		HttpResponse<byte[]> cached = list("If-None-Match", etag);
		HttpResponse<byte[]> stale = list("If-None-Match", "W/\"0000\"");
		assertThat(cached.statusCode()).isEqualTo(304);
		assertThat(cached.body()).isEmpty();
		assertThat(SimClient.header(cached, "etag")).isEqualTo(etag);
		assertThat(SimClient.intHeader(cached, "x-ratelimit-remaining")).isEqualTo(59);
		assertThat(stale.statusCode()).isEqualTo(200);
		assertThat(SimClient.intHeader(stale, "x-ratelimit-remaining")).isEqualTo(58);
		assertThat(this.github.counters().notModified()).isEqualTo(1);
		assertThat(this.github.counters().requests("list", 304)).isEqualTo(1);
	}

	@Test
	void aSpentQuotaIsRefusedUntilTheWindowResets() {
		list();
		// Long enough that both refused requests surely fall inside it, on a busy
		// machine.
		this.github.setQuota(0, Duration.ofSeconds(3));
		HttpResponse<byte[]> refused = list();
		HttpResponse<byte[]> newToken = list("Authorization", "Bearer first-seen-after-set-quota");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(SimClient.intHeader(refused, "x-ratelimit-remaining")).isZero();
		JsonNode body = SimClient.json(refused);
		assertThat(body.get("message").asString()).startsWith("API rate limit exceeded for 127.0.0.1.");
		assertThat(body.get("documentation_url").asString())
			.isEqualTo("https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting");
		assertThat(newToken.statusCode()).isEqualTo(403);
		assertThat(this.github.counters().rateLimited()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(list().statusCode()).isEqualTo(200));
		HttpResponse<byte[]> recovered = list();
		assertThat(SimClient.intHeader(recovered, "x-ratelimit-remaining")).isEqualTo(58);
	}

	@Test
	void aSmallQuotaRunsOut() {
		try (GitHubSim small = GitHubSim.start(SimOptions.defaults().withUnauthenticatedQuotaPerHour(2))) {
			String url = small.apiUrl() + "/users/synthetic-1/gists";
			assertThat(this.client.get(url).statusCode()).isEqualTo(200);
			assertThat(this.client.get(url).statusCode()).isEqualTo(200);
			assertThat(this.client.get(url).statusCode()).isEqualTo(403);
		}
	}

	@Test
	void theRateLimitEndpointDoesNotSpendQuota() {
		list();
		HttpResponse<byte[]> first = this.client.get(this.github.apiUrl() + "/rate_limit");
		HttpResponse<byte[]> second = this.client.get(this.github.apiUrl() + "/rate_limit");
		JsonNode core = SimClient.json(second).get("resources").get("core");
		assertThat(core.get("limit").asInt()).isEqualTo(60);
		assertThat(core.get("remaining").asInt()).isEqualTo(59);
		assertThat(core.get("used").asInt()).isEqualTo(1);
		assertThat(SimClient.json(second).get("rate").get("remaining").asInt()).isEqualTo(59);
		assertThat(SimClient.intHeader(first, "x-ratelimit-remaining")).isEqualTo(59);
		assertThat(this.github.counters().requests("rate_limit", 200)).isEqualTo(2);
	}

	@Test
	void theRateLimitEndpointStillAnswersWhenTheQuotaIsSpent() {
		this.github.setQuota(0, Duration.ofMinutes(5));
		HttpResponse<byte[]> response = this.client.get(this.github.apiUrl() + "/rate_limit");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(SimClient.json(response).get("resources").get("core").get("remaining").asInt()).isZero();
	}

	@Test
	void aBadTokenGetsBadCredentials() {
		HttpResponse<byte[]> response = list("Authorization", "Bearer bad-token");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(SimClient.text(response)).isEqualTo(
				"{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"401\"}");
		assertThat(this.github.counters().requests("list", 401)).isEqualTo(1);
	}

	@Test
	void aSecondaryLimitRefusesWithGitHubsMessageAndBudgetLeftUntilItLifts() {
		this.github.setSecondaryLimit(Duration.ofSeconds(2), Duration.ofSeconds(2));
		HttpResponse<byte[]> refused = list();
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(SimClient.json(refused).path("message").asString()).contains("secondary rate limit");
		assertThat(SimClient.header(refused, "retry-after")).isEqualTo("2");
		assertThat(SimClient.intHeader(refused, "x-ratelimit-remaining")).isPositive();
		await().atMost(Duration.ofSeconds(5)).until(() -> list().statusCode() == 200);
	}

	@Test
	void aSecondaryLimitWithoutADurationLastsUntilLiftedAndNamesNoWaitWithoutRetryAfter() {
		this.github.setSecondaryLimit(null, null);
		HttpResponse<byte[]> refused = list("Authorization", "Bearer ghp_one");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("retry-after")).isEmpty();
		assertThat(SimClient.intHeader(refused, "x-ratelimit-remaining")).isEqualTo(5000);
		this.github.setSecondaryLimit(Duration.ZERO, null);
		assertThat(list().statusCode()).isEqualTo(200);
	}

	private HttpResponse<byte[]> list(String... headers) {
		return this.client.get(this.github.apiUrl() + "/users/synthetic-3/gists", headers);
	}

}
