package io.gistgrep.worker.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/** The client against github-sim, with its budget and caches on a real Redis. */
class GitHubClientTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final String token = "client-" + UUID.randomUUID();

	private final GitHubClient client = new GitHubTesting(Map.of("api-url", this.github.apiUrl(), "raw-hosts",
			this.github.rawHost(), "git-hosts", this.github.gitHost(), "tokens", this.token), this.meters)
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
	void aListedGistIsBoundFieldByFieldFromGitHubsJson() {
		Instant updated = Instant.parse("2024-03-01T12:00:00Z");
		String id = "b1" + this.login.substring(7);
		SimFile markdown = SimFile.text("notes über.md", "# hi\n");
		this.github.addUser(SimUser.of(this.login, 4711,
				SimGist.of(id, "two files", updated, markdown, SimFile.of("data.bin", new byte[] { 0, 1, 2 }))));

		ListedGist gist = this.client.listGists(this.client.firstPageUrl(this.login), this.login).gists().getFirst();

		assertThat(gist.id()).isEqualTo(id);
		assertThat(gist.htmlUrl()).isEqualTo("https://gist.github.com/" + this.login + "/" + id);
		assertThat(gist.description()).isEqualTo("two files");
		assertThat(gist.updatedAt()).isEqualTo(updated);
		assertThat(gist.truncated()).isFalse();
		assertThat(gist.gitPullUrl()).isEqualTo(this.github.gitBaseUrl() + "/git/" + id + ".git");
		assertThat(gist.files().values()).extracting(ListedFile::filename, ListedFile::size)
			.containsExactly(tuple("notes über.md", 5L), tuple("data.bin", 3L));
		ListedFile notes = gist.files().get("notes über.md");
		assertThat(notes.language()).isEqualTo(markdown.language()).isNotNull();
		assertThat(notes.type()).isEqualTo(markdown.type());
		assertThat(notes.rawUrl()).contains("/" + id + "/raw/" + markdown.blobSha() + "/")
			.endsWith("/notes%20%C3%BCber.md");
	}

	@Test
	void aGistsPullUrlIsAskedOfTheApiWithAToken() {
		String id = "b2" + this.login.substring(7);
		this.github.addUser(SimUser.of(this.login, 4712,
				SimGist.of(id, null, Instant.parse("2024-03-01T12:00:00Z"), SimFile.text("a.txt", "a\n"))));

		assertThat(this.client.pullUrl(id)).isEqualTo(this.github.gitBaseUrl() + "/git/" + id + ".git");
		assertThatExceptionOfType(GitHubException.Unavailable.class).isThrownBy(() -> this.client.pullUrl("0000" + id))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("gist-not-found"));
	}

	@Test
	void anUnknownUserIsNotFound() {
		assertThatExceptionOfType(GitHubException.UserNotFound.class)
			.isThrownBy(() -> this.client.listGists(this.client.firstPageUrl(this.login), this.login));
	}

	@Test
	void aNextLinkToAnotherHostIsNotFollowed() {
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> this.client.listGists("https://evil.example/users/x/gists", this.login))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("foreign-link"));
		assertThat(this.github.counters().apiRequests()).isZero();
	}

}
