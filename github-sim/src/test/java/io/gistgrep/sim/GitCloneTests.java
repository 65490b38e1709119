package io.gistgrep.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class GitCloneTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void aGistTooLargeForTheRawHostCanBeClonedFromItsPullUrl(@TempDir Path directory) throws Exception {
		byte[] large = new byte[10 * 1024 * 1024 + 1];
		for (int i = 0; i < large.length; i++) {
			large[i] = (byte) (i % 251);
		}
		this.github
			.addUser(SimUser.of("octocat", 583231, SimGist.of("dd01", "huge", Instant.parse("2022-01-01T00:00:00Z"),
					SimFile.of("huge.bin", large), SimFile.text("notes über 2.txt", "small\n"))));
		HttpResponse<byte[]> listing = this.client.get(this.github.apiUrl() + "/users/octocat/gists");
		String pullUrl = SimClient.json(listing).get(0).get("git_pull_url").asString();
		try (Git clone = Git.cloneRepository().setURI(pullUrl).setDirectory(directory.toFile()).call()) {
			assertThat(Files.readAllBytes(directory.resolve("huge.bin"))).isEqualTo(large);
			assertThat(Files.readString(directory.resolve("notes über 2.txt"))).isEqualTo("small\n");
			assertThat(clone.log().call().iterator().next().getCommitTime()).isEqualTo(1640995200);
		}
		assertThat(SimClient.intHeader(this.client.get(this.github.apiUrl() + "/rate_limit"), "x-ratelimit-remaining"))
			.isEqualTo(59);
		assertThat(this.github.counters().requests("git", 200)).isPositive();
	}

	@Test
	void gitRequestsCarryingATokenAreCountedSoThatTestsCanSeeALeak(@TempDir Path directory) throws Exception {
		this.github.addUser(SimUser.of("octocat", 583231,
				SimGist.of("dd02", "small", Instant.parse("2022-01-01T00:00:00Z"), SimFile.text("a.txt", "small\n"))));
		String pullUrl = SimClient.json(this.client.get(this.github.apiUrl() + "/users/octocat/gists"))
			.get(0)
			.get("git_pull_url")
			.asString();
		try (Git clone = Git.cloneRepository().setURI(pullUrl).setDirectory(directory.toFile()).call()) {
			assertThat(this.github.counters().gitRequestsWithAuthorization()).isZero();
		}
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpResponse<String> refs = http
				.send(HttpRequest.newBuilder(URI.create(pullUrl + "/info/refs?service=git-upload-pack"))
					.header("Authorization", "token leaked")
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(refs.statusCode()).isEqualTo(200);
		}
		assertThat(this.github.counters().gitRequestsWithAuthorization()).isOne();
	}

	@Test
	void aGistWithMoreThan300FilesIsListedTruncatedAndClonesShallowWithEveryFile(@TempDir Path directory)
			throws Exception {
		SimFile[] files = new SimFile[350];
		for (int i = 0; i < files.length; i++) {
			files[i] = SimFile.text("f" + i + ".txt", "file " + i + "\n");
		}
		this.github.addUser(SimUser.of("octocat", 583231,
				SimGist.of("dd02", "many", Instant.parse("2022-01-01T00:00:00Z"), files)));
		JsonNode gist = SimClient.json(this.client.get(this.github.apiUrl() + "/users/octocat/gists")).get(0);
		assertThat(gist.get("truncated").asBoolean()).isTrue();
		assertThat(gist.get("files").size()).isEqualTo(300);
		try (Git clone = Git.cloneRepository()
			.setURI(gist.get("git_pull_url").asString())
			.setDepth(1)
			.setDirectory(directory.toFile())
			.call()) {
			assertThat(Files.readString(directory.resolve("f349.txt"))).isEqualTo("file 349\n");
			assertThat(clone.getRepository().getObjectDatabase().getShallowCommits()).hasSize(1);
		}
		assertThat(directory.toFile().list()).hasSize(351);
		assertThat(this.github.counters().gitFetches()).isEqualTo(1);
	}

	@Test
	void onlyTheSmartProtocolIsServed() {
		this.github.addUser(SimUser.of("octocat", 583231,
				SimGist.of("dd03", "one", Instant.parse("2022-01-01T00:00:00Z"), SimFile.text("a.txt", "a\n"))));
		HttpResponse<byte[]> smart = this.client
			.get(this.github.gitBaseUrl() + "/git/dd03.git/info/refs?service=git-upload-pack");
		assertThat(smart.statusCode()).isEqualTo(200);
		assertThat(SimClient.header(smart, "content-type")).isEqualTo("application/x-git-upload-pack-advertisement");
		assertThat(new String(smart.body(), java.nio.charset.StandardCharsets.UTF_8))
			.startsWith("001e# service=git-upload-pack\n0000");
		assertThat(this.client.get(this.github.gitBaseUrl() + "/git/dd03.git/info/refs").statusCode()).isEqualTo(403);
	}

	@Test
	void anUnknownGistHasNoRepository() {
		assertThat(this.client.get(this.github.gitBaseUrl() + "/git/ffff.git/info/refs?service=git-upload-pack")
			.statusCode()).isEqualTo(404);
	}

}
