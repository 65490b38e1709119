package io.gistgrep.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class InjectedResetTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String rawUrl;

	private final String pullUrl;

	InjectedResetTests() {
		byte[] content = new byte[64 * 1024];
		for (int i = 0; i < content.length; i++) {
			content[i] = (byte) ('a' + i % 26);
		}
		this.github.addUser(SimUser.of("octocat", 583231,
				SimGist.of("ab01", "one", Instant.parse("2022-01-01T00:00:00Z"), SimFile.of("big.txt", content))));
		this.rawUrl = this.github.rawBaseUrl() + "/octocat/ab01/raw/big.txt";
		this.pullUrl = this.github.gitBaseUrl() + "/git/ab01.git";
	}

	@AfterEach
	void close() {
		this.http.close();
		this.client.close();
		this.github.close();
	}

	@Test
	void aRawResponseResetMidBodyFailsTheClientsReadAndTheNextIsWhole() {
		this.github.failNext(Target.RAW, Fault.RESET_MID_BODY, 1);

		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> this.http.send(HttpRequest.newBuilder(URI.create(this.rawUrl)).build(),
					HttpResponse.BodyHandlers.ofByteArray()))
			.withMessageContaining("bytes received");
		HttpResponse<byte[]> next = this.client.get(this.rawUrl);
		assertThat(next.statusCode()).isEqualTo(200);
		assertThat(next.body()).hasSize(64 * 1024);
		assertThat(this.github.counters().injectedResets()).isEqualTo(1);
		assertThat(this.github.counters().injectedFaults(Target.RAW)).isEqualTo(1);
	}

	@Test
	void aGitResponseResetMidBodyFailsTheCloneAndTheNextCloneWorks(@TempDir Path directory) throws Exception {
		this.github.failNext(Target.GIT, Fault.RESET_MID_BODY, 1);

		assertThatExceptionOfType(TransportException.class).isThrownBy(
				() -> Git.cloneRepository().setURI(this.pullUrl).setDirectory(directory.resolve("a").toFile()).call());
		try (Git clone = Git.cloneRepository()
			.setURI(this.pullUrl)
			.setDirectory(directory.resolve("b").toFile())
			.call()) {
			assertThat(Files.size(directory.resolve("b/big.txt"))).isEqualTo(64 * 1024);
		}
		assertThat(this.github.counters().injectedFaults(Target.GIT)).isEqualTo(1);
		assertThat(this.github.counters().injectedResets()).isEqualTo(1);
	}

	@Test
	void queuedFaultsAreUsedInOrderThenRequestsAreServed() {
		this.github.failNext(Target.API, Fault.STATUS_500, 2);
		this.github.failNext(Target.API, Fault.RESET_MID_BODY, 1);
		String url = this.github.apiUrl() + "/users/octocat/gists";

		assertThat(this.client.get(url).statusCode()).isEqualTo(500);
		assertThat(this.client.get(url).statusCode()).isEqualTo(500);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.http
			.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray()));
		assertThat(this.client.get(url).statusCode()).isEqualTo(200);
		assertThat(this.github.counters().injectedFaults(Target.API)).isEqualTo(3);
		assertThat(this.github.counters().injectedFaults(Target.RAW)).isZero();
	}

	@Test
	void aGitErrorRateFailsClonesWith500(@TempDir Path directory) {
		this.github.setFaults(SimFaults.none().withGitErrorRate(1.0));

		assertThatExceptionOfType(TransportException.class)
			.isThrownBy(() -> Git.cloneRepository().setURI(this.pullUrl).setDirectory(directory.toFile()).call());
		assertThat(this.github.counters().requests("git", 500)).isPositive();
		assertThat(this.github.counters().injectedFaults(Target.GIT)).isPositive();
		assertThat(this.client.get(this.rawUrl).statusCode()).isEqualTo(200);
	}

	@Test
	void aGitFaultQueuedByControlFailsTheNextGitRequest() {
		assertThat(this.client.post(this.github.apiUrl() + "/_sim/fail-next?target=git&fault=status-500&times=1")
			.statusCode()).isEqualTo(204);

		String refs = this.pullUrl + "/info/refs?service=git-upload-pack";
		assertThat(this.client.get(refs).statusCode()).isEqualTo(500);
		assertThat(this.client.get(refs).statusCode()).isEqualTo(200);
	}

}
