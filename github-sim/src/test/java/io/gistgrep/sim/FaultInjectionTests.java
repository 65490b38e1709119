package io.gistgrep.sim;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FaultInjectionTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void anErrorRateOfOneFailsEveryApiRequestWithoutSpendingQuota() {
		this.github.setFaults(SimFaults.none().withApiErrorRate(1.0).withErrorStatus(502));
		List<Integer> statuses = statuses(this.github.apiUrl() + "/users/synthetic-2/gists", 20);
		HttpResponse<byte[]> failed = this.client.get(this.github.apiUrl() + "/users/synthetic-2/gists");
		assertThat(statuses).containsOnly(502);
		assertThat(SimClient.json(failed).get("message").asString()).isEqualTo("Server Error");
		assertThat(failed.headers().firstValue("x-ratelimit-remaining")).isEmpty();
		assertThat(this.github.counters().injectedFaults()).isEqualTo(21);
		assertThat(this.github.counters().requests("list", 502)).isEqualTo(21);
		this.github.setFaults(SimFaults.none());
		HttpResponse<byte[]> healthy = this.client.get(this.github.apiUrl() + "/users/synthetic-2/gists");
		assertThat(SimClient.intHeader(healthy, "x-ratelimit-remaining")).isEqualTo(59);
	}

	@Test
	void anErrorRateOfZeroFailsNothing() {
		this.github.setFaults(SimFaults.none().withApiErrorRate(0).withRawErrorRate(0));
		assertThat(statuses(this.github.apiUrl() + "/users/synthetic-2/gists", 30)).containsOnly(200);
		assertThat(this.github.counters().injectedFaults()).isZero();
	}

	@Test
	void anErrorRateIsRoughlyHonouredAndRepeatsWithTheSameSeed() {
		this.github.setFaults(SimFaults.none().withRawErrorRate(0.3).withErrorStatus(503).withSeed(7));
		String rawUrl = this.github.rawBaseUrl() + "/synthetic-1/"
				+ this.github.user("synthetic-1").orElseThrow().gists().get(0).id() + "/raw/"
				+ this.github.user("synthetic-1").orElseThrow().gists().get(0).files().get(0).filename();
		List<Integer> firstRun = statuses(rawUrl, 300);
		this.github.setFaults(SimFaults.none().withRawErrorRate(0.3).withErrorStatus(503).withSeed(7));
		List<Integer> secondRun = statuses(rawUrl, 300);
		long failures = firstRun.stream().filter((status) -> status == 503).count();
		assertThat(failures).isBetween(60L, 120L);
		assertThat(firstRun).containsOnly(200, 503);
		assertThat(secondRun).isEqualTo(firstRun);
		assertThat(this.github.counters().injectedFaults()).isEqualTo(2 * failures);
		assertThat(this.github.counters().requests("raw", 503)).isEqualTo(2 * failures);
	}

	@Test
	void latencyDelaysEachResponse() {
		this.github.setFaults(SimFaults.none().withApiLatency(Duration.ofMillis(300)));
		long start = System.nanoTime();
		HttpResponse<byte[]> response = this.client.get(this.github.apiUrl() + "/users/synthetic-1/gists");
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void faultsGivenAtStartApply() {
		SimFaults faults = SimFaults.none().withApiErrorRate(1.0).withErrorStatus(500);
		try (GitHubSim failing = GitHubSim.start(SimOptions.defaults().withFaults(faults))) {
			assertThat(this.client.get(failing.apiUrl() + "/users/synthetic-1/gists").statusCode()).isEqualTo(500);
		}
	}

	@Test
	void theLatencyControlChangesTheLatenciesAtRunTimeAndKeepsTheOtherFaults() {
		this.github.setFaults(SimFaults.none().withGitErrorRate(0.5));
		assertThat(this.client.post(this.github.apiUrl() + "/_sim/latency?api-ms=120&raw-ms=80").statusCode())
			.isEqualTo(204);
		assertThat(this.github.faults()).isEqualTo(SimFaults.none()
			.withGitErrorRate(0.5)
			.withApiLatency(Duration.ofMillis(120))
			.withRawLatency(Duration.ofMillis(80)));
		long start = System.nanoTime();
		assertThat(this.client.get(this.github.apiUrl() + "/users/synthetic-1/gists").statusCode()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
		assertThat(this.client.post(this.github.apiUrl() + "/_sim/latency?raw-ms=0").statusCode()).isEqualTo(204);
		assertThat(this.github.faults().apiLatency()).isEqualTo(Duration.ofMillis(120));
		assertThat(this.github.faults().rawLatency()).isZero();
		assertThat(this.client.post(this.github.apiUrl() + "/_sim/latency?api-ms=-1").statusCode()).isEqualTo(400);
		assertThat(this.client.post(this.github.apiUrl() + "/_sim/latency?api-ms=soon").statusCode()).isEqualTo(400);
	}

	private List<Integer> statuses(String url, int requests) {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			statuses.add(this.client.get(url).statusCode());
		}
		return statuses;
	}

}
