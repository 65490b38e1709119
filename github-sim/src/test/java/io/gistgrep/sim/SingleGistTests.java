package io.gistgrep.sim;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class SingleGistTests {

	private static final int ONE_MB = 1024 * 1024;

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	@BeforeEach
	void addUser() {
		byte[] large = new byte[ONE_MB + 500];
		Arrays.fill(large, (byte) 'a');
		this.github.addUser(SimUser.of("octocat", 583231,
				SimGist.of("cc01", "small", Instant.parse("2022-01-01T00:00:00Z"), SimFile.text("a.txt", "héllo\n"),
						SimFile.of("b.bin", new byte[] { (byte) 0xff, 0 })),
				SimGist.of("cc02", "large", Instant.parse("2021-01-01T00:00:00Z"), SimFile.of("large.txt", large),
						SimFile.text("after.txt", "small but hidden\n"))));
	}

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void aGistCarriesItsContentAndTruncationFlags() {
		HttpResponse<byte[]> response = this.client.get(this.github.apiUrl() + "/gists/cc01");
		JsonNode gist = SimClient.json(response);
		JsonNode text = gist.get("files").get("a.txt");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(gist.get("html_url").asString()).isEqualTo("https://gist.github.com/octocat/cc01");
		assertThat(gist.get("owner").get("login").asString()).isEqualTo("octocat");
		assertThat(text.get("content").asString()).isEqualTo("héllo\n");
		assertThat(text.get("truncated").asBoolean()).isFalse();
		assertThat(text.get("size").asInt()).isEqualTo(7);
		assertThat(gist.get("truncated").asBoolean()).isFalse();
		assertThat(gist.get("history").get(0).get("committed_at").asString()).isEqualTo("2022-01-01T00:00:00Z");
		assertThat(this.github.counters().gistRequests()).isEqualTo(1);
		assertThat(this.github.counters().requests("gist", 200)).isEqualTo(1);
	}

	@Test
	void binaryContentComesBase64Encoded() {
		JsonNode binary = SimClient.json(this.client.get(this.github.apiUrl() + "/gists/cc01"))
			.get("files")
			.get("b.bin");
		assertThat(binary.get("encoding").asString()).isEqualTo("base64");
		assertThat(Base64.getDecoder().decode(binary.get("content").asString())).containsExactly(0xff, 0);
	}

	@Test
	void contentIsCutAtOneMegabyteAndMarkedTruncated() {
		JsonNode files = SimClient.json(this.client.get(this.github.apiUrl() + "/gists/cc02")).get("files");
		JsonNode large = files.get("large.txt");
		JsonNode after = files.get("after.txt");
		assertThat(large.get("truncated").asBoolean()).isTrue();
		assertThat(large.get("content").asString().getBytes(StandardCharsets.UTF_8)).hasSize(ONE_MB);
		assertThat(large.get("size").asInt()).isEqualTo(ONE_MB + 500);
		assertThat(after.get("truncated").asBoolean()).isTrue();
		assertThat(after.get("content").asString()).isEmpty();
		assertThat(after.get("raw_url").asString()).contains("/raw/");
	}

	@Test
	void anUnknownGistIsNotFound() {
		HttpResponse<byte[]> response = this.client.get(this.github.apiUrl() + "/gists/ffff0000");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(SimClient.json(response).get("message").asString()).isEqualTo("Not Found");
		assertThat(this.github.counters().requests("gist", 404)).isEqualTo(1);
	}

	@Test
	void aMatchingEtagOnAGistGetsNotModified() {
		String etag = SimClient.header(this.client.get(this.github.apiUrl() + "/gists/cc01"), "etag");
		HttpResponse<byte[]> cached = this.client.get(this.github.apiUrl() + "/gists/cc01", "If-None-Match", etag);
		assertThat(cached.statusCode()).isEqualTo(304);
		assertThat(this.github.counters().notModified()).isEqualTo(1);
	}

}
