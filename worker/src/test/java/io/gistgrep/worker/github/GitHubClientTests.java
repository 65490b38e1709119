package io.gistgrep.worker.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.db.gist.GistFile;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SyntheticUsers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The client against github-sim, with its budget and caches on a real Redis. */
class GitHubClientTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final String token = "client-" + UUID.randomUUID();

	private final GitHubClient client = new GitHubTesting(
			Map.of("api-url", this.github.apiUrl(), "raw-hosts", "127.0.0.1", "tokens", this.token), this.meters)
		.client();

	private final String login = "client-" + UUID.randomUUID().toString().substring(0, 8);

	@AfterEach
	void stop() {
		this.github.close();
	}

	@Test
	void aRepeatListingIsAnsweredNotModifiedAndCostsNoQuota() {
		this.github.addUser(SyntheticUsers.generate(this.login, 5, 3));
		String url = this.client.firstPageUrl(this.login);
		GistPage first = this.client.listGists(url, this.login);

		GistPage again = this.client.listGists(url, this.login);

		assertThat(first.notModified()).isFalse();
		assertThat(again.notModified()).isTrue();
		assertThat(again.gists()).isEqualTo(first.gists());
		assertThat(this.github.counters().notModified()).isOne();
		assertThat(this.meters.get("gistgrep.github.budget.remaining").gauge().value()).isEqualTo(4999);
	}

	@Test
	void onceTheQuotaIsSpentNoRequestIsSentUntilTheReset() {
		this.github.addUser(SyntheticUsers.generate(this.login, 5, 3));
		this.github.setQuota(0, Duration.ofSeconds(30));
		String url = this.client.firstPageUrl(this.login);

		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> this.client.listGists(url, this.login))
			.satisfies((ex) -> assertThat(ex.retryAt()).isBetween(Instant.now().plusSeconds(28),
					Instant.now().plusSeconds(31)));
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> this.client.listGists(url, this.login));

		assertThat(this.github.counters().apiRequests()).as("only the first reached GitHub").isOne();
	}

	@Test
	void aSecondaryLimitBlocksTheTokenForItsWait() {
		this.github.addUser(SyntheticUsers.generate(this.login, 5, 3));
		this.github.setFaults(SimFaults.none().withApiErrorRate(1).withErrorStatus(429));
		String url = this.client.firstPageUrl(this.login);

		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> this.client.listGists(url, this.login))
			.satisfies((ex) -> assertThat(ex.retryAt()).isAfter(Instant.now().plusSeconds(55)));
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> this.client.listGists(url, this.login));

		assertThat(this.github.counters().apiRequests()).isOne();
	}

	@Test
	void rawContentIsFetchedWithoutATokenOnceAndThenReadFromTheCache() {
		this.github.addUser(SyntheticUsers.generate(this.login, 1, 3));
		GistFile file = this.client.listGists(this.client.firstPageUrl(this.login), this.login)
			.gists()
			.getFirst()
			.files()
			.getFirst();

		byte[] first = this.client.content(file);
		byte[] again = this.client.content(file);

		assertThat(again).isEqualTo(first);
		assertThat(BlobSha.compute(first)).isEqualTo(BlobSha.of(file.rawUrl()).orElseThrow());
		assertThat(this.github.counters().rawRequests()).isOne();
		assertThat(this.github.counters().rawRequestsWithAuthorization()).isZero();
	}

	@Test
	void rawUrlsOnOtherHostsAreNotFollowed() {
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> this.client.fetchRaw("https://evil.example/octocat/1/raw/x/y.txt"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("raw-host-not-allowed"));
	}

}
