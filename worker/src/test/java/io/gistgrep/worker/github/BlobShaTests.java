package io.gistgrep.worker.github;

import java.nio.charset.StandardCharsets;

import io.gistgrep.sim.SimFile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlobShaTests {

	@Test
	void theShaIsReadFromARawUrlsPath() {
		assertThat(BlobSha.of("https://gist.githubusercontent.com/octocat/aa5a315d/raw/"
				+ "3b18e512dba79e4c8300dd08aeb37f8e728b8dad/notes%20%C3%BC.txt"))
			.contains("3b18e512dba79e4c8300dd08aeb37f8e728b8dad");
	}

	@Test
	void aRawUrlWithoutAShaHasNone() {
		assertThat(BlobSha.of("https://gist.githubusercontent.com/octocat/aa5a315d/raw/hello.txt")).isEmpty();
		assertThat(BlobSha.of("https://gist.githubusercontent.com/octocat/aa5a315d/raw/3B18E512/x")).isEmpty();
		assertThat(BlobSha.of("not a url")).isEmpty();
	}

	@Test
	void onlyTheSegmentAfterARawSegmentOfThePathCounts() {
		String sha = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad";
		assertThat(BlobSha.of("http://127.0.0.1:9090/octocat/aa5a315d/raw/" + sha)).as("at the end, with a port")
			.contains(sha);
		assertThat(BlobSha.of("https://h.example/octocat/raw/readme/raw/" + sha + "/x")).as("the second raw segment")
			.contains(sha);
		assertThat(BlobSha.of("https://h.example/octocat/xraw/" + sha + "/x")).as("not a whole segment").isEmpty();
		assertThat(BlobSha.of("https://h.example/octocat/raw/" + sha + "0/x")).as("41 digits").isEmpty();
		assertThat(BlobSha.of("https://h.example/octocat/raw/" + sha.substring(1) + "/x")).as("39 digits").isEmpty();
		assertThat(BlobSha.of("https://h.example/octocat/x?next=/raw/" + sha + "/x")).as("in the query").isEmpty();
		assertThat(BlobSha.of("https://h.example/octocat/x#/raw/" + sha)).as("in the fragment").isEmpty();
		assertThat(BlobSha.of("https://raw/" + sha + "/x")).as("the host is not the path").isEmpty();
	}

	@Test
	void theShaOfContentIsGitsBlobSha() {
		// git hash-object of "hello world\n" and of an empty file
		assertThat(BlobSha.compute("hello world\n".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("3b18e512dba79e4c8300dd08aeb37f8e728b8dad");
		assertThat(BlobSha.compute(new byte[0])).isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	}

	@Test
	void theShaOfBinaryAndLargeContentIsTheOneGithubSimComputesOnItsOwn() {
		byte[] binary = { 0, 1, 2, (byte) 0xff, '\n', 0 };
		byte[] large = "line of text\n".repeat(100_000).getBytes(StandardCharsets.UTF_8);

		assertThat(BlobSha.compute(binary)).isEqualTo(SimFile.of("a.bin", binary).blobSha());
		assertThat(BlobSha.compute(large)).isEqualTo(SimFile.of("b.txt", large).blobSha());
	}

}
