package io.gistgrep.sim;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class MainTests {

	@Test
	void helpListsTheFlags() {
		StringWriter out = new StringWriter();
		CommandLine command = new CommandLine(new Main()).setOut(new PrintWriter(out));
		int exitCode = command.execute("--help");
		assertThat(exitCode).isZero();
		assertThat(out.toString()).contains("--port", "--raw-port", "--raw-base-url", "--fixtures", "--synthetic",
				"--quota", "--latency-ms", "--raw-latency-ms", "--error-rate", "--raw-error-rate", "--seed",
				"--content-bind-address", "--git-error-rate", "--no-user-agent-check");
	}

	@Test
	void aMalformedSyntheticUserIsAUsageError() {
		StringWriter err = new StringWriter();
		CommandLine command = new CommandLine(new Main()).setErr(new PrintWriter(err));
		int exitCode = command.execute("--port", "0", "--raw-port", "0", "--synthetic", "no-count");
		assertThat(exitCode).isEqualTo(2);
		assertThat(err.toString()).contains("--synthetic expects LOGIN=COUNT");
	}

	@Test
	void theOptionsShapeTheStartedSimulator() {
		Main main = new Main();
		new CommandLine(main).parseArgs("--port", "0", "--raw-port", "0", "--synthetic", "bench-user=12", "--quota",
				"7", "--raw-base-url", "http://raw.example:8080/", "--error-status", "503");
		try (GitHubSim github = main.start(); SimClient client = new SimClient()) {
			HttpResponse<byte[]> listing = client.get(github.apiUrl() + "/users/bench-user/gists", "Authorization",
					"Bearer t");
			assertThat(SimClient.json(listing)).hasSize(12);
			assertThat(SimClient.intHeader(listing, "x-ratelimit-limit")).isEqualTo(7);
			assertThat(SimClient.json(listing).get(0).get("files").values().iterator().next().get("raw_url").asString())
				.startsWith("http://raw.example:8080/bench-user/");
			assertThat(github.user("justdionysus")).isPresent();
		}
	}

	@Test
	void rawFilesAndGitGoToASecondLoopbackAddressUnlessTheSimulatorListensEverywhere() {
		Main local = new Main();
		new CommandLine(local).parseArgs("--port", "0", "--raw-port", "0");
		Main container = new Main();
		new CommandLine(container).parseArgs("--port", "0", "--raw-port", "0", "--bind-address", "0.0.0.0");
		try (GitHubSim github = local.start(); GitHubSim everywhere = container.start()) {
			assertThat(github.rawHost()).isEqualTo("127.0.0.2");
			assertThat(github.gitHost()).isEqualTo("127.0.0.2");
			assertThat(everywhere.rawHost()).isEqualTo("127.0.0.1");
		}
	}

	@Test
	void theBuiltInFixtureCanBeLeftOut() {
		Main main = new Main();
		new CommandLine(main).parseArgs("--port", "0", "--raw-port", "0", "--no-default-fixtures");
		try (GitHubSim github = main.start()) {
			assertThat(github.user("justdionysus")).isEmpty();
		}
	}

}
