package io.gistgrep.worker.github;

import java.util.Map;
import java.util.UUID;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SyntheticUsers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Several tokens against github-sim, with the shared budget on a real Redis. */
class GitHubTokensTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final String revoked = "revoked-" + UUID.randomUUID();

	private final String good = "good-" + UUID.randomUUID();

	@AfterEach
	void stop() {
		this.github.close();
	}

	@Test
	void aRevokedTokenIsTakenOutOfRotationForEveryWorkerAndTheRequestGoesToTheNextToken() {
		this.github.revokeToken(this.revoked);
		// Two workers: the revocation one of them learns is shared through Redis.
		GitHubClient first = client(this.revoked + "," + this.good);
		GitHubClient second = client(this.revoked + "," + this.good);

		for (int i = 0; i < 3; i++) {
			String login = login();
			this.github.addUser(SyntheticUsers.generate(login, 3, 2));
			GitHubClient client = (i % 2 == 0) ? first : second;
			assertThat(client.listGists(client.firstPageUrl(login), login).gists()).hasSize(3);
		}

		assertThat(this.github.counters().requestsWithToken(this.revoked)).isOne();
		assertThat(this.github.counters().requestsWithToken(this.good)).isEqualTo(3);
		assertThat(this.meters.get("gistgrep.github.tokens.revoked")
			.tag("token", RateBudget.id(this.revoked))
			.counter()
			.count()).isOne();
	}

	@Test
	void whenEveryTokenIsRevokedTheListingFailsWithBadCredentialsAfterOneRequestEach() {
		this.github.revokeToken(this.revoked);
		this.github.revokeToken(this.good);
		GitHubClient client = client(this.revoked + "," + this.good);
		String login = login();
		this.github.addUser(SyntheticUsers.generate(login, 3, 2));

		assertThatExceptionOfType(GitHubException.BadCredentials.class)
			.isThrownBy(() -> client.listGists(client.firstPageUrl(login), login));
		assertThatExceptionOfType(GitHubException.BadCredentials.class)
			.isThrownBy(() -> client.listGists(client.firstPageUrl(login), login));

		assertThat(this.github.counters().requestsWithToken(this.revoked)).isOne();
		assertThat(this.github.counters().requestsWithToken(this.good)).isOne();
	}

	@Test
	void repeatListingsWithTwoTokensAreAnsweredNotModifiedAndCostNoQuota() {
		GitHubClient client = client(this.revoked + "," + this.good);
		String login = login();
		this.github.addUser(SyntheticUsers.generate(login, 3, 2));
		String url = client.firstPageUrl(login);
		client.listGists(url, login);
		this.github.resetCounters();

		for (int i = 0; i < 4; i++) {
			assertThat(client.listGists(url, login).notModified()).isTrue();
		}

		assertThat(this.github.counters().notModified()).isEqualTo(4);
		assertThat(this.github.counters().quotaCounted()).isZero();
	}

	private GitHubClient client(String tokens) {
		return new GitHubTesting(Map.of("api-url", this.github.apiUrl(), "raw-hosts", this.github.rawHost(),
				"git-hosts", this.github.gitHost(), "tokens", tokens), this.meters)
			.client();
	}

	private static String login() {
		return "tokens-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
