package io.gistgrep.sim;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class RawContentTests {

	private static final byte[] BINARY = { 0, 1, 2, (byte) 0xff, (byte) 0xfe, '\n' };

	private static final int TEN_MB = 10 * 1024 * 1024;

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	@BeforeEach
	void addUser() {
		this.github.addUser(SimUser.of("octocat", 583231,
				SimGist.of("bb01", "mixed", Instant.parse("2022-01-01T00:00:00Z"),
						SimFile.text("hello.txt", "hello world\n"), SimFile.of("blob.bin", BINARY),
						SimFile.text("notes über 2.txt", "grüße\n")),
				SimGist.of("bb02", "big", Instant.parse("2021-01-01T00:00:00Z"),
						SimFile.of("limit.txt", new byte[TEN_MB]), SimFile.of("over.txt", new byte[TEN_MB + 1]))));
	}

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void blobShaIsWhatGitHashObjectComputes() {
		assertThat(SimFile.text("a.txt", "hello world\n").blobSha())
			.isEqualTo("3b18e512dba79e4c8300dd08aeb37f8e728b8dad");
		assertThat(SimFile.text("empty", "").blobSha()).isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	}

	@Test
	void rawUrlServesTheExactBytesUnderTheirBlobSha() {
		JsonNode files = firstGistFiles();
		String helloUrl = files.get("hello.txt").get("raw_url").asString();
		String blobUrl = files.get("blob.bin").get("raw_url").asString();
		assertThat(helloUrl).isEqualTo(
				this.github.rawBaseUrl() + "/octocat/bb01/raw/3b18e512dba79e4c8300dd08aeb37f8e728b8dad/hello.txt");
		assertThat(blobUrl).contains("/raw/" + SimFile.of("x", BINARY).blobSha() + "/blob.bin");
		HttpResponse<byte[]> hello = this.client.get(helloUrl);
		HttpResponse<byte[]> blob = this.client.get(blobUrl);
		assertThat(hello.body()).isEqualTo("hello world\n".getBytes(StandardCharsets.UTF_8));
		assertThat(blob.body()).isEqualTo(BINARY);
		assertThat(SimClient.header(blob, "content-type")).isEqualTo("text/plain; charset=utf-8");
		assertThat(SimClient.header(hello, "etag")).isEqualTo("\"3b18e512dba79e4c8300dd08aeb37f8e728b8dad\"");
		assertThat(this.github.counters().rawRequests()).isEqualTo(2);
		assertThat(this.github.counters().requests("raw", 200)).isEqualTo(2);
	}

	@Test
	void rawRequestsNeitherSpendNorReportTheApiQuota() {
		HttpResponse<byte[]> listing = this.client.get(this.github.apiUrl() + "/users/octocat/gists");
		String rawUrl = SimClient.json(listing).get(0).get("files").get("hello.txt").get("raw_url").asString();
		HttpResponse<byte[]> raw = this.client.get(rawUrl);
		HttpResponse<byte[]> again = this.client.get(this.github.apiUrl() + "/users/octocat/gists");
		assertThat(raw.headers().firstValue("x-ratelimit-remaining")).isEmpty();
		assertThat(SimClient.intHeader(listing, "x-ratelimit-remaining")).isEqualTo(59);
		assertThat(SimClient.intHeader(again, "x-ratelimit-remaining")).isEqualTo(58);
	}

	@Test
	void fileNamesWithSpacesAndNonAsciiRoundTripThroughRawUrl() {
		String rawUrl = firstGistFiles().get("notes über 2.txt").get("raw_url").asString();
		assertThat(rawUrl).endsWith("/notes%20%C3%BCber%202.txt");
		HttpResponse<byte[]> raw = this.client.get(rawUrl);
		assertThat(raw.statusCode()).isEqualTo(200);
		assertThat(SimClient.text(raw)).isEqualTo("grüße\n");
	}

	@Test
	void aWrongShaOrAnUnknownFileIsNotFound() {
		String base = this.github.rawBaseUrl() + "/octocat/bb01/raw/";
		HttpResponse<byte[]> wrongSha = this.client.get(base + "0000000000000000000000000000000000000000/hello.txt");
		HttpResponse<byte[]> unknownFile = this.client
			.get(base + "3b18e512dba79e4c8300dd08aeb37f8e728b8dad/missing.txt");
		HttpResponse<byte[]> unknownGist = this.client
			.get(this.github.rawBaseUrl() + "/octocat/ffff/raw/3b18e512dba79e4c8300dd08aeb37f8e728b8dad/hello.txt");
		assertThat(wrongSha.statusCode()).isEqualTo(404);
		assertThat(SimClient.text(wrongSha)).isEqualTo("404: Not Found");
		assertThat(unknownFile.statusCode()).isEqualTo(404);
		assertThat(unknownGist.statusCode()).isEqualTo(404);
		assertThat(this.github.counters().requests("raw", 404)).isEqualTo(3);
	}

	@Test
	void theLatestRevisionIsServedWithoutASha() {
		HttpResponse<byte[]> raw = this.client.get(this.github.rawBaseUrl() + "/octocat/bb01/raw/hello.txt");
		assertThat(SimClient.text(raw)).isEqualTo("hello world\n");
	}

	@Test
	void filesOverTenMegabytesAreRefusedOnTheRawHost() {
		JsonNode files = SimClient.json(this.client.get(this.github.apiUrl() + "/users/octocat/gists"))
			.get(1)
			.get("files");
		HttpResponse<byte[]> limit = this.client.get(files.get("limit.txt").get("raw_url").asString());
		HttpResponse<byte[]> over = this.client.get(files.get("over.txt").get("raw_url").asString());
		assertThat(files.get("over.txt").get("size").asInt()).isEqualTo(TEN_MB + 1);
		assertThat(limit.statusCode()).isEqualTo(200);
		assertThat(limit.body()).hasSize(TEN_MB);
		assertThat(over.statusCode()).isEqualTo(403);
	}

	@Test
	void rawRequestsCarryingAuthorizationAreCounted() {
		String rawUrl = firstGistFiles().get("hello.txt").get("raw_url").asString();
		this.client.get(rawUrl);
		this.client.get(rawUrl, "Authorization", "Bearer secret");
		assertThat(this.github.counters().rawRequests()).isEqualTo(2);
		assertThat(this.github.counters().rawRequestsWithAuthorization()).isEqualTo(1);
	}

	@Test
	void aMatchingEtagGetsNotModifiedOnTheRawHost() {
		String rawUrl = firstGistFiles().get("hello.txt").get("raw_url").asString();
		String etag = SimClient.header(this.client.get(rawUrl), "etag");
		HttpResponse<byte[]> cached = this.client.get(rawUrl, "If-None-Match", etag);
		assertThat(cached.statusCode()).isEqualTo(304);
		assertThat(cached.body()).isEmpty();
	}

	private JsonNode firstGistFiles() {
		return SimClient.json(this.client.get(this.github.apiUrl() + "/users/octocat/gists")).get(0).get("files");
	}

}
