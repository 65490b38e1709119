package io.gistgrep.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client as users run it: its jar in a process of its own, for what only a process
 * has: a terminal's progress bar, and Ctrl-C (a real SIGINT).
 */
class CliProcessTests {

	private static final Path JAR = Path.of(System.getProperty("user.dir"))
		.resolve("../cli/target/gistgrep-cli.jar")
		.normalize();

	/**
	 * One drawing of the progress line: the listing's count, or the bar once the total is
	 * known; then the matches and the elapsed time, and an erase to the end of the line.
	 */
	private static final Pattern FRAME = Pattern.compile("\r(?:listing gists… (\\d+) scanned"
			+ "|\\[[█░]{20}] (\\d+)/1200 gists) · (\\d+) matched · \\d+:\\d\\d\u001b\\[K");

	private final Stack stack = Stack.get();

	private final List<Process> started = new ArrayList<>();

	private final Map<Process, Path> outputs = new HashMap<>();

	private final List<String> logins = new ArrayList<>();

	@TempDir
	Path temp;

	@AfterEach
	void stopWhatWasStarted() {
		this.started.forEach(Process::destroyForcibly);
		this.stack.sim.setFaults(SimFaults.none());
		// A test that failed midway must not leave a big job to slow the next ones down.
		for (JsonNode job : this.stack.get("/jobs?limit=100").json().path("data")) {
			if (this.logins.contains(job.path("username").asString())
					&& Set.of("queued", "running").contains(job.path("status").asString())) {
				this.stack.post("/jobs/" + job.path("id").asString() + "/cancel", "");
			}
		}
	}

	@Test
	void onATerminalTheProgressBarMovesOnStderrAndGoesAwayBeforeTheMatches() throws Exception {
		String login = CliTests.login("progress");
		this.logins.add(login);
		this.stack.sim.addUser(SyntheticUsers.generate(login, 1200, 22));
		// Slow enough content for the job to outlast its listing by several of the
		// client's
		// polls (every 2 s, as the api asks): the bar is drawn with the total known.
		this.stack.sim.setFaults(SimFaults.none().withRawLatency(Duration.ofMillis(60)));

		Process client = start("err", "search", login, "AKIA[0-9A-Z]{16}|password = hunter[0-9]+");

		assertThat(client.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(client.exitValue()).as(err(client)).isZero();
		List<int[]> frames = new ArrayList<>();
		int bars = 0;
		Matcher frame = FRAME.matcher(err(client));
		while (frame.find()) {
			boolean bar = frame.group(2) != null;
			bars += bar ? 1 : 0;
			frames.add(new int[] { Integer.parseInt(bar ? frame.group(2) : frame.group(1)),
					Integer.parseInt(frame.group(3)) });
		}
		assertThat(frames).as(err(client)).hasSizeGreaterThanOrEqualTo(3);
		assertThat(bars).as("frames with the total known").isPositive();
		for (int i = 1; i < frames.size(); i++) {
			assertThat(frames.get(i)[0]).as("gists done never go back").isGreaterThanOrEqualTo(frames.get(i - 1)[0]);
			assertThat(frames.get(i)[1]).as("matches never go back").isGreaterThanOrEqualTo(frames.get(i - 1)[1]);
		}
		assertThat(frames.getLast()[0]).isGreaterThan(frames.getFirst()[0]);
		assertThat(err(client)).endsWith("\r\u001b[K");
		assertThat(out(client)).isNotEmpty().doesNotContain("\r");
	}

	@Test
	void withoutATerminalCtrlCCancelsTheJobOnTheServerAndExits130() throws Exception {
		String login = slowUser("sigint");

		Process client = start("", "search", login, "TODO");
		String id = await().atMost(Duration.ofSeconds(60)).until(() -> unfinishedJobOf(login), (job) -> job != null);
		interrupt(client);

		assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(client.exitValue()).as(err(client)).isEqualTo(130);
		assertThat(err(client)).isEqualTo("gistgrep: cancelled job " + id + "\n");
		assertThat(this.stack.get("/jobs/" + id).json().path("status").asString()).isEqualTo("cancelled");
	}

	@Test
	void onATerminalCtrlCAsksAndNoLeavesTheJobRunning() throws Exception {
		String login = slowUser("ask");

		Process client = start("in,err", "search", login, "TODO");
		String id = await().atMost(Duration.ofSeconds(60)).until(() -> unfinishedJobOf(login), (job) -> job != null);
		interrupt(client);
		try (OutputStream answer = client.getOutputStream()) {
			answer.write("n\n".getBytes(StandardCharsets.UTF_8));
		}

		assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(client.exitValue()).as(err(client)).isEqualTo(130);
		assertThat(err(client)).contains("gistgrep: cancel job " + id + " on the server? [y/N] ",
				"gistgrep: job " + id + " keeps running; follow it with: gistgrep status " + id);
		assertThat(this.stack.get("/jobs/" + id).json().path("status").asString()).isIn("queued", "running",
				"succeeded");
	}

	@Test
	void theLauncherRunsTheReadmesSearchWithTheKeyRunLocalWrote() throws Exception {
		Process launcher = launch(Map.of(), "search", "justdionysus", "TerbiumLabsChallenge_[0-9]+");

		assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(launcher.exitValue()).as(err(launcher)).isZero();
		assertThat(out(launcher)).isEqualTo(
				"justdionysus/6b2972aa971dd605f524/challenge.txt:2: The flag is TerbiumLabsChallenge_4815162342\n");
		assertThat(err(launcher)).isEmpty();
	}

	@Test
	void throughAPipeTheLauncherWritesUtf8WhateverTheLocale() throws Exception {
		String login = CliTests.login("utf8");
		String gist = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
		this.stack.sim.addUser(new SimUser(login, 77, List.of(SimGist.of(gist, null,
				Instant.parse("2025-01-01T00:00:00Z"), SimFile.text("naive.txt", "first\nnaïve ☃ TODO ünïcode\n")))));

		Process launcher = launch(Map.of("LANG", "C", "LC_ALL", "C"), "search", login, "TODO");

		assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(launcher.exitValue()).as(err(launcher)).isZero();
		assertThat(out(launcher)).isEqualTo(login + "/" + gist + "/naive.txt:2: naïve ☃ TODO ünïcode\n");
	}

	/**
	 * bin/gistgrep as checked out, in a tree of its own: its jar, and the key in
	 * .run/api-key, where bin/run-local writes it.
	 */
	private Process launch(Map<String, String> env, String... args) throws IOException {
		Path root = this.temp.resolve("tree");
		if (!Files.exists(root)) {
			Files.createDirectories(root.resolve("bin"));
			Files.copy(JAR.resolveSibling("../../bin/gistgrep").normalize(), root.resolve("bin/gistgrep"));
			Files.createDirectories(root.resolve("cli/target"));
			Files.createSymbolicLink(root.resolve("cli/target/gistgrep-cli.jar"), JAR);
			Files.createDirectories(root.resolve(".run"));
			Files.writeString(root.resolve(".run/api-key"), Stack.API_KEY + "\n");
		}
		List<String> command = new ArrayList<>(
				List.of("env", "--default-signal=INT", "bash", root.resolve("bin/gistgrep").toString()));
		command.addAll(List.of(args));
		return spawn(command, (environment) -> {
			environment.remove("GISTGREP_API_KEY");
			environment.put("GISTGREP_URL", this.stack.apiUrl);
			environment.put("JAVA_HOME", System.getProperty("java.home"));
			environment.putAll(env);
		});
	}

	/**
	 * A user whose job runs for a while (tens of seconds: many gists, slow content), and
	 * is still running when the test interrupts the client.
	 */
	private String slowUser(String what) {
		String login = CliTests.login(what);
		this.logins.add(login);
		this.stack.sim.addUser(SyntheticUsers.generate(login, 2000, 23));
		this.stack.sim.setFaults(SimFaults.none().withRawLatency(Duration.ofMillis(30)));
		return login;
	}

	/**
	 * The id of the job for {@code login} once the client has submitted it (and so waits
	 * for it), or null before.
	 */
	private String unfinishedJobOf(String login) {
		for (JsonNode job : this.stack.get("/jobs?limit=100").json().path("data")) {
			if (job.path("username").asString().equals(login)) {
				assertThat(job.path("status").asString()).as("still under way when interrupted")
					.isIn("queued", "running");
				return job.path("id").asString();
			}
		}
		return null;
	}

	/**
	 * {@code java -jar gistgrep-cli.jar}, as {@code bin/gistgrep} runs it, with
	 * {@code tty} saying which streams it should take for a terminal. {@code env
	 * --default-signal=INT}: a build started in the background inherits SIGINT ignored,
	 * and a process keeps an ignored signal ignored.
	 */
	private Process start(String tty, String... args) throws IOException {
		assertThat(JAR).as("package the client first (verify -pl e2e -am)").isRegularFile();
		List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
				"-Dgistgrep.tty=" + tty, "-Dgistgrep.columns=120", "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8",
				"-jar", JAR.toString()));
		command.addAll(List.of(args));
		return spawn(command, (environment) -> environment.putAll(CliTests.env(this.stack)));
	}

	/**
	 * Starts {@code command} with its output in files of its own, stopped after the test.
	 * Files, not pipes: a thread blocked reading a pipe would hold one of the few threads
	 * of the common pool (one, on two cores), which the stack in this JVM needs.
	 */
	private Process spawn(List<String> command, Consumer<Map<String, String>> environment) throws IOException {
		Path dir = Files.createDirectories(this.temp.resolve("process-" + this.started.size()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile())
			.redirectError(dir.resolve("err").toFile());
		environment.accept(builder.environment());
		Process process = builder.start();
		this.started.add(process);
		this.outputs.put(process, dir);
		return process;
	}

	private static void interrupt(Process process) throws Exception {
		Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
		assertThat(kill.waitFor()).isZero();
	}

	private String out(Process process) throws IOException {
		return Files.readString(this.outputs.get(process).resolve("out"), StandardCharsets.UTF_8);
	}

	private String err(Process process) throws IOException {
		return Files.readString(this.outputs.get(process).resolve("err"), StandardCharsets.UTF_8);
	}

}
