package io.gistgrep.sim;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RawThrottleTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	private final String rawUrl;

	RawThrottleTests() {
		this.github.addUser(SimUser.of("octocat", 583231,
				SimGist.of("ff01", "one", Instant.parse("2022-01-01T00:00:00Z"), SimFile.text("a.txt", "hello\n"))));
		this.rawUrl = this.github.rawBaseUrl() + "/octocat/ff01/raw/a.txt";
	}

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void aRequestOverTheRateStartsACoolDownAnsweredWith429() {
		this.github.setRawThrottle(5, Duration.ofSeconds(3));
		int served = 0;
		HttpResponse<byte[]> refused = null;
		for (int i = 0; i < 200 && refused == null; i++) {
			HttpResponse<byte[]> response = this.client.get(this.rawUrl);
			if (response.statusCode() == 429) {
				refused = response;
			}
			else {
				served++;
			}
		}

		assertThat(refused).isNotNull();
		assertThat(served).isGreaterThanOrEqualTo(5);
		assertThat(SimClient.text(refused)).isEqualTo("429: Too Many Requests");
		assertThat(refused.headers().firstValue("retry-after")).isEmpty();
		List<Integer> during = List.of(this.client.get(this.rawUrl).statusCode(),
				this.client.get(this.github.gitBaseUrl() + "/git/ff01.git/info/refs?service=git-upload-pack")
					.statusCode(),
				this.client.get(this.rawUrl).statusCode());
		assertThat(during).containsOnly(429);
		List<SimCounters.CoolDown> coolDowns = this.github.counters().rawCoolDowns();
		assertThat(coolDowns).hasSize(1);
		assertThat(coolDowns.get(0).requestsDuring()).isEqualTo(3);
		assertThat(Duration.between(coolDowns.get(0).start(), coolDowns.get(0).end())).isEqualTo(Duration.ofSeconds(3));
		assertThat(this.github.counters().rawThrottled()).isEqualTo(4);
		assertThat(this.github.counters().requests("git", 429)).isEqualTo(1);
		assertThat(this.github.counters().maxRawRequestsPerSecond()).isGreaterThanOrEqualTo(6);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> this.client.get(this.rawUrl).statusCode() == 200);
		assertThat(Instant.now()).isAfterOrEqualTo(coolDowns.get(0).end());
	}

	@Test
	void aThrottleCanNameTheRestOfItsCoolDownInRetryAfter() {
		this.github.setRawThrottle(1, Duration.ofSeconds(5), true);
		assertThat(this.client.get(this.rawUrl).statusCode()).isEqualTo(200);
		// One per (sliding) second: the next is refused, unless a pause of the machine
		// put
		// a second between the two; then the one after is.
		HttpResponse<byte[]> refused = this.client.get(this.rawUrl);
		if (refused.statusCode() != 429) {
			refused = this.client.get(this.rawUrl);
		}

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(SimClient.intHeader(refused, "retry-after")).isBetween(1, 6);
	}

	@Test
	void liftingTheThrottleByControlEndsTheCoolDown() {
		this.github.setRawThrottle(1, Duration.ofHours(1));
		assertThat(refusedWithinThree()).isTrue();

		assertThat(this.client.post(this.github.apiUrl() + "/_sim/raw-throttle?per-second=0").statusCode())
			.isEqualTo(204);

		assertThat(this.client.get(this.rawUrl).statusCode()).isEqualTo(200);
		assertThat(this.client.post(this.github.apiUrl() + "/_sim/raw-throttle?per-second=1&cool-down-ms=60000")
			.statusCode()).isEqualTo(204);
		assertThat(refusedWithinThree()).isTrue();
	}

	/**
	 * Whether one of three requests sent one after the other is refused, as a rate of one
	 * per (sliding) second must: two in a row may both be served when a pause of the
	 * machine puts a second between them; three would need two such pauses.
	 */
	private boolean refusedWithinThree() {
		for (int i = 0; i < 3; i++) {
			if (this.client.get(this.rawUrl).statusCode() == 429) {
				return true;
			}
		}
		return false;
	}

	@Test
	void withoutAThrottleEveryRawRequestIsServed() {
		for (int i = 0; i < 50; i++) {
			assertThat(this.client.get(this.rawUrl).statusCode()).isEqualTo(200);
		}
		assertThat(this.github.counters().rawThrottled()).isZero();
		assertThat(this.github.counters().rawCoolDowns()).isEmpty();
	}

}
