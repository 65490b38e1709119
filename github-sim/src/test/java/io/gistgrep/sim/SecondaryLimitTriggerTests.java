package io.gistgrep.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SecondaryLimitTriggerTests {

	private static final String SECONDARY = "You have exceeded a secondary rate limit";

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void aBurstOverTheMinutesAllowanceStartsASecondaryLimitThatLifts() {
		this.github.setSecondaryLimitTriggers(0, 3, Duration.ofSeconds(2), Duration.ofSeconds(2));
		String url = this.github.apiUrl() + "/users/synthetic-2/gists";
		List<Integer> allowed = IntStream.range(0, 3).mapToObj((i) -> this.client.get(url).statusCode()).toList();
		HttpResponse<byte[]> limited = this.client.get(url, "Authorization", "Bearer t1");

		assertThat(allowed).containsOnly(200);
		assertThat(limited.statusCode()).isEqualTo(403);
		assertThat(SimClient.json(limited).get("message").asString()).startsWith(SECONDARY);
		assertThat(SimClient.intHeader(limited, "retry-after")).isEqualTo(2);
		assertThat(SimClient.intHeader(limited, "x-ratelimit-remaining")).isEqualTo(5000);
		assertThat(this.client.get(url).statusCode()).isEqualTo(403);
		assertThat(this.github.counters().secondaryLimitsTriggered()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> this.client.get(url).statusCode() == 200);
		assertThat(this.github.counters().secondaryLimitsTriggered()).isEqualTo(1);
	}

	@Test
	void tooManyRequestsInFlightStartASecondaryLimit() {
		this.github.setFaults(SimFaults.none().withApiLatency(Duration.ofMillis(700)));
		this.github.setSecondaryLimitTriggers(2, 0, Duration.ofSeconds(30), null);
		try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.github.apiUrl() + "/users/synthetic-1/gists"))
				.build();
			List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 4)
				.mapToObj((i) -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
				.toList();
			List<HttpResponse<String>> answered = responses.stream().map(CompletableFuture::join).toList();

			assertThat(answered).extracting(HttpResponse::statusCode).contains(403);
			assertThat(answered).filteredOn((response) -> response.statusCode() == 403)
				.allSatisfy((response) -> assertThat(response.body()).contains(SECONDARY))
				.allSatisfy((response) -> assertThat(response.headers().firstValue("retry-after")).isEmpty());
		}
		assertThat(this.github.counters().secondaryLimitsTriggered()).isEqualTo(1);
	}

	@Test
	void triggersAreSetAndLiftedByControl() {
		String url = this.github.apiUrl() + "/users/synthetic-1/gists";
		assertThat(this.client
			.post(this.github.apiUrl() + "/_sim/secondary-limit-triggers?max-per-minute=1&penalty-seconds=60")
			.statusCode()).isEqualTo(204);
		assertThat(this.client.get(url).statusCode()).isEqualTo(200);
		assertThat(this.client.get(url).statusCode()).isEqualTo(403);

		this.github.setSecondaryLimit(Duration.ZERO, null);
		this.client.post(this.github.apiUrl() + "/_sim/secondary-limit-triggers?max-per-minute=0");

		for (int i = 0; i < 10; i++) {
			assertThat(this.client.get(url).statusCode()).isEqualTo(200);
		}
		assertThat(this.github.counters().secondaryLimitsTriggered()).isEqualTo(1);
	}

}
