package io.gistgrep.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bench/e2e.sh, the end-to-end benchmark: present, executable, valid bash, named in the
 * README, and its help answers before anything is built or started.
 */
class BenchScriptTests {

	@Test
	void theScriptIsAnExecutableBashScriptThatParses() throws IOException, InterruptedException {
		Path script = RepositoryFiles.path("bench/e2e.sh");
		assertThat(Files.isExecutable(script)).as("bench/e2e.sh is executable").isTrue();
		assertThat(Files.readString(script)).startsWith("#!/usr/bin/env bash\n");
		assertThat(run("bash", "-n", script.toString())).as("bash -n bench/e2e.sh").isEmpty();
	}

	@Test
	void helpAnswersBeforeBuildingOrStartingAnything() throws IOException, InterruptedException {
		String help = run(RepositoryFiles.path("bench/e2e.sh").toString(), "--help");
		assertThat(help).startsWith("Usage: bench/e2e.sh")
			.contains("--quick", "--workers K", "--redis-db N", "--label NAME")
			.doesNotContain("[e2e]");
	}

	@Test
	void theReadmeNamesTheBenchmark() {
		assertThat(RepositoryFiles.read("README.md")).contains("bench/e2e.sh", "bench/results/");
	}

	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output.strip();
	}

}
