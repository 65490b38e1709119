package io.gistgrep.worker.github;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Raw files from github-sim, with the content cache on a real Redis. */
class RawFilesTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final String token = "raw-" + UUID.randomUUID();

	private final GitHubTesting testing = new GitHubTesting(
			Map.of("api-url", this.github.apiUrl(), "raw-hosts", this.github.rawHost(), "git-hosts",
					this.github.gitHost(), "tokens", this.token, "max-raw-file-size", "2KB"),
			new SimpleMeterRegistry());

	private final RawFiles raw = this.testing.rawFiles();

	private final String login = "raw-" + UUID.randomUUID().toString().substring(0, 8);

	@AfterEach
	void stop() {
		this.github.close();
	}

	private ListedFile listedFile() {
		GitHubClient client = this.testing.client();
		return client.listGists(client.firstPageUrl(this.login), this.login)
			.gists()
			.getFirst()
			.files()
			.values()
			.iterator()
			.next();
	}

	@Test
	void rawContentIsFetchedWithoutATokenOnceAndThenReadFromTheCache() {
		this.github.addUser(SimUser.of(this.login, 4712, SimGist.of("c0" + this.login.substring(4), "small",
				Instant.parse("2024-03-01T12:00:00Z"), SimFile.text("small.txt", "small " + this.login + "\n"))));
		ListedFile file = listedFile();

		byte[] first = this.raw.content(file.rawUrl(), file.size());
		byte[] again = this.raw.content(file.rawUrl(), file.size());

		assertThat(again).isEqualTo(first);
		assertThat(first).hasSize(file.size().intValue());
		assertThat(BlobSha.compute(first)).isEqualTo(BlobSha.of(file.rawUrl()).orElseThrow());
		assertThat(this.github.counters().rawRequests()).isOne();
		assertThat(this.github.counters().rawRequestsWithAuthorization()).isZero();
	}

	@Test
	void aFileIsNamedByTheBlobShaItWasCheckedToBeWhetherFetchedOrCached() {
		this.github.addUser(SimUser.of(this.login, 4714, SimGist.of("c2" + this.login.substring(4), "named",
				Instant.parse("2024-03-01T12:00:00Z"), SimFile.text("named.txt", "named " + this.login + "\n"))));
		ListedFile file = listedFile();
		String sha = BlobSha.of(file.rawUrl()).orElseThrow();

		RawFiles.Named fetched = this.raw.named(file.rawUrl(), file.size(), CachedContents.none());
		RawFiles.Named cached = this.raw.named(file.rawUrl(), file.size(), CachedContents.none());

		assertThat(fetched.blobSha()).isEqualTo(sha);
		assertThat(cached.blobSha()).isEqualTo(sha);
		assertThat(cached.bytes()).isEqualTo(fetched.bytes());
		assertThat(this.github.counters().rawRequests()).isOne();
	}

	@Test
	void aFileWhoseRawUrlNamesNoBlobIsNamedByNoneAndNotCached() {
		this.github.addUser(SimUser.of(this.login, 4715, SimGist.of("c3" + this.login.substring(4), "other",
				Instant.parse("2024-03-01T12:00:00Z"), SimFile.text("other.txt", "other " + this.login + "\n"))));
		ListedFile file = listedFile();
		String sha = BlobSha.of(file.rawUrl()).orElseThrow();
		// The latest revision's URL, as GitHub also serves it:
		// /{owner}/{gist}/raw/{filename}
		String latest = file.rawUrl().replace("/raw/" + sha + "/", "/raw/");

		RawFiles.Named first = this.raw.named(latest, file.size(), CachedContents.none());
		RawFiles.Named again = this.raw.named(latest, file.size(), CachedContents.none());

		assertThat(first.blobSha()).isNull();
		assertThat(again.blobSha()).isNull();
		assertThat(again.bytes()).isEqualTo(first.bytes());
		assertThat(this.github.counters().rawRequests()).as("fetched again: not cached").isEqualTo(2);
	}

	@Test
	void rawUrlsOnOtherHostsAreNotFollowed() {
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> this.raw.fetch("https://evil.example/octocat/1/raw/x/y.txt"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("raw-host-not-allowed"));
	}

	@Test
	void aFileOverTheRawLimitIsNotRead() {
		this.github.addUser(SimUser.of(this.login, 4713, SimGist.of("c1" + this.login.substring(4), "big",
				Instant.parse("2024-03-01T12:00:00Z"), SimFile.text("big.txt", "x".repeat(3000)))));
		ListedFile file = listedFile();

		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> this.raw.content(file.rawUrl(), file.size()))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("too-large"));
	}

	@Test
	void aChunkedBodyWithoutALengthIsCutOffAsSoonAsItPassesTheCap() {
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> this.raw.fetch(this.github.rawBaseUrl() + "/_chunked/20000000000"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("too-large"));
	}

	@Test
	void redirectsOnAnAllowedHostAreFollowedUpToThreeTimesWithoutAToken() {
		this.github.addUser(SimUser.of(this.login, 4714, SimGist.of("c2" + this.login.substring(4), "moved",
				Instant.parse("2024-03-01T12:00:00Z"), SimFile.text("moved.txt", "moved " + this.login + "\n"))));
		ListedFile file = listedFile();
		String path = URI.create(file.rawUrl()).getRawPath().substring(1);

		byte[] content = this.raw.fetch(this.github.rawBaseUrl() + "/_redirect/3/" + path);

		assertThat(content).asString().isEqualTo("moved " + this.login + "\n");
		assertThat(this.github.counters().rawRequests()).isEqualTo(4);
		assertThat(this.github.counters().rawRequestsWithAuthorization()).isZero();
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> this.raw.fetch(this.github.rawBaseUrl() + "/_redirect/4/" + path))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("too-many-redirects"));
	}

	@Test
	void aRedirectToAHostOffTheAllowListIsNotFollowed() {
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> this.raw.fetch(this.github.rawBaseUrl() + "/_redirect-away/evil.example"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("raw-host-not-allowed"));
		assertThat(this.github.counters().rawRequests()).isOne();
	}

}
