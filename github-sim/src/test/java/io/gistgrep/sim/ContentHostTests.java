package io.gistgrep.sim;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHostTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void rawFilesAndGitAreServedOnAHostOtherThanTheApis() {
		this.github.addUser(SimUser.of("octocat", 583231,
				SimGist.of("ee01", "one", Instant.parse("2022-01-01T00:00:00Z"), SimFile.text("a.txt", "hello\n"))));
		JsonNode listed = SimClient.json(this.client.get(this.github.apiUrl() + "/users/octocat/gists")).get(0);
		JsonNode single = SimClient.json(this.client.get(this.github.apiUrl() + "/gists/ee01"));

		assertThat(URI.create(this.github.apiUrl()).getHost()).isEqualTo("127.0.0.1");
		assertThat(this.github.rawHost()).isEqualTo("127.0.0.2");
		assertThat(this.github.gitHost()).isEqualTo("127.0.0.2");
		for (JsonNode gist : new JsonNode[] { listed, single }) {
			String rawUrl = gist.get("files").get("a.txt").get("raw_url").asString();
			String pullUrl = gist.get("git_pull_url").asString();
			assertThat(URI.create(rawUrl).getHost()).isEqualTo(this.github.rawHost());
			assertThat(pullUrl).isEqualTo(this.github.gitBaseUrl() + "/git/ee01.git");
			assertThat(SimClient.text(this.client.get(rawUrl))).isEqualTo("hello\n");
			assertThat(this.client.get(pullUrl + "/info/refs?service=git-upload-pack").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void theApisHostServesNeitherRawFilesNorGit() {
		this.github.addUser(SimUser.of("octocat", 583231,
				SimGist.of("ee02", "one", Instant.parse("2022-01-01T00:00:00Z"), SimFile.text("a.txt", "hello\n"))));
		String rawUrl = SimClient.json(this.client.get(this.github.apiUrl() + "/gists/ee02"))
			.get("files")
			.get("a.txt")
			.get("raw_url")
			.asString();
		String onApiHost = rawUrl.replace("127.0.0.2", "127.0.0.1");
		String gitOnApi = this.github.apiUrl() + "/git/ee02.git/info/refs?service=git-upload-pack";

		assertThat(this.client.get(gitOnApi).statusCode()).isEqualTo(404);
		assertThat(onApiHost).isNotEqualTo(rawUrl);
		assertThat(this.client.get(this.github.apiUrl() + URI.create(rawUrl).getRawPath()).statusCode()).isEqualTo(404);
	}

	@Test
	void aUserNamedGitKeepsItsRawFiles() {
		this.github.addUser(SimUser.of("git", 18133,
				SimGist.of("ee03", "one", Instant.parse("2022-01-01T00:00:00Z"), SimFile.text("a.txt", "mine\n"))));
		String rawUrl = SimClient.json(this.client.get(this.github.apiUrl() + "/gists/ee03"))
			.get("files")
			.get("a.txt")
			.get("raw_url")
			.asString();

		HttpResponse<byte[]> raw = this.client.get(rawUrl);
		assertThat(raw.statusCode()).isEqualTo(200);
		assertThat(SimClient.text(raw)).isEqualTo("mine\n");
	}

	@Test
	void aConfiguredContentAddressOrBaseUrlNamesTheContentHost() {
		try (GitHubSim wildcard = GitHubSim.start(SimOptions.defaults().withContentBindAddress("0.0.0.0"));
				GitHubSim configured = GitHubSim
					.start(SimOptions.defaults().withRawBaseUrl("http://raw.example:8081"))) {
			wildcard.addUser(SimUser.of("octocat", 583231,
					SimGist.of("ee04", "one", Instant.parse("2022-01-01T00:00:00Z"), SimFile.text("a.txt", "x\n"))));
			JsonNode gist = SimClient.json(this.client.get(wildcard.apiUrl() + "/gists/ee04"));

			assertThat(URI.create(gist.get("git_pull_url").asString()).getHost()).isEqualTo("127.0.0.1");
			assertThat(configured.rawHost()).isEqualTo("raw.example");
			assertThat(configured.gitBaseUrl()).isEqualTo("http://raw.example:8081");
		}
	}

}
