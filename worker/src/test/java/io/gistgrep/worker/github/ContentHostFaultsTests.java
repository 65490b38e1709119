package io.gistgrep.worker.github;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.sim.Fault;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.Target;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the client does when github-sim's content host (raw files and git, on a host name
 * other than the API's) throttles or cuts a body short.
 */
class ContentHostFaultsTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final String login = "faults-" + UUID.randomUUID().toString().substring(0, 8);

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final Map<String, String> properties = Map.of("api-url", this.github.apiUrl(), "raw-hosts",
			this.github.rawHost(), "git-hosts", this.github.gitHost(), "tokens", "faults-" + UUID.randomUUID(),
			"raw.cool-down", "30s");

	private final GitHubTesting worker1 = new GitHubTesting(this.properties, this.meters);

	private final GitHubTesting worker2 = new GitHubTesting(this.properties, new SimpleMeterRegistry());

	@AfterEach
	void stop() {
		this.github.close();
	}

	private ListedGist gist(int files) {
		SimFile[] content = new SimFile[files];
		for (int i = 0; i < files; i++) {
			content[i] = SimFile.text("f" + i + ".txt", "file " + i + " of " + this.login + "\n".repeat(50));
		}
		this.github.addUser(SimUser.of(this.login, 4800,
				SimGist.of("fa" + this.login.substring(7), "faults", Instant.parse("2024-03-01T12:00:00Z"), content)));
		GitHubClient client = this.worker1.client();
		return client.listGists(client.firstPageUrl(this.login), this.login).gists().getFirst();
	}

	private static String rawUrl(ListedGist gist, int file) {
		return gist.files().get("f" + file + ".txt").rawUrl();
	}

	@Test
	void aRawBodyCutShortIsATransientFailureThatNeitherThrottlesNorPoisonsTheCache() {
		ListedGist gist = gist(1);
		this.github.failNext(Target.RAW, Fault.RESET_MID_BODY, 1);

		assertThatExceptionOfType(GitHubException.Transient.class)
			.isThrownBy(() -> this.worker1.rawFiles().fetch(rawUrl(gist, 0)));
		byte[] whole = this.worker1.rawFiles().content(rawUrl(gist, 0), gist.files().get("f0.txt").size());

		assertThat(BlobSha.compute(whole)).isEqualTo(BlobSha.of(rawUrl(gist, 0)).orElseThrow());
		assertThat(this.github.counters().injectedResets()).isOne();
		assertThat(this.github.counters().rawCoolDowns()).isEmpty();
	}

	@Test
	void aCloneCutShortIsATransientFailureAndTheNextCloneWorks() {
		ListedGist gist = gist(2);
		this.github.failNext(Target.GIT, Fault.RESET_MID_BODY, 1);

		assertThatExceptionOfType(GitHubException.Transient.class)
			.isThrownBy(() -> this.worker1.clones().clone(gist.gitPullUrl()));
		try (ClonedGist clone = this.worker1.clones().clone(gist.gitPullUrl())) {
			assertThat(clone.readTree()).hasSize(2);
		}
		assertThat(this.github.counters().injectedResets()).isOne();
	}

	@Test
	void aThrottledRawHostIsBackedOffForEveryWorkerWhichThenSendsItNothing() {
		ListedGist gist = gist(3);
		this.github.setRawThrottle(1, Duration.ofSeconds(30));
		this.worker1.rawFiles().fetch(rawUrl(gist, 0));

		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> this.worker1.rawFiles().fetch(rawUrl(gist, 1)));
		long asked = this.github.counters().rawRequests();
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> this.worker2.rawFiles().fetch(rawUrl(gist, 2)))
			.satisfies((ex) -> assertThat(ex.retryAt()).isAfter(Instant.now().plusSeconds(25)));

		assertThat(this.github.counters().rawRequests()).as("nothing sent during the cool-down").isEqualTo(asked);
		assertThat(this.github.counters().rawCoolDowns()).hasSize(1);
		assertThat(this.meters.get("gistgrep.github.host.throttled").tag("status", "429").counter().count()).isOne();
	}

	@Test
	void aCloneTheGitHostThrottlesBacksTheHostOffAndParksTheWork() throws Exception {
		ListedGist gist = gist(1);
		this.github.setRawThrottle(1, Duration.ofSeconds(30));
		// Spend the host's one request of this second outside the client, so that the
		// client learns of the throttle from the git host's own 429.
		HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(rawUrl(gist, 0))).header("User-Agent", "test").build(),
					HttpResponse.BodyHandlers.discarding());

		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> this.worker1.clones().clone(gist.gitPullUrl()))
			.satisfies((ex) -> assertThat(ex.retryAt()).isAfter(Instant.now().plusSeconds(25)));
		assertThatExceptionOfType(GitHubException.RateLimited.class)
			.isThrownBy(() -> this.worker2.clones().headCommit(gist.gitPullUrl()));
	}

	@Test
	void onlyTheStatusJGitAppendsAfterTheUrlIsTakenForAThrottleNotAGistIdHolding429() throws Exception {
		URIish url = new URIish("https://gist.github.com/4290a429.git");

		assertThat(GistClones.throttleStatus(new TransportException(url, "429 Too Many Requests"))).isEqualTo(429);
		assertThat(GistClones.throttleStatus(new TransportException(url, "not found"))).isZero();
		assertThat(GistClones.throttleStatus(new TransportException(url, "500 Server Error"))).isZero();
		assertThat(GistClones.throttleStatus(new IllegalStateException("429 Too Many Requests"))).isZero();
	}

}
