package io.gistgrep.sim;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the simulator until killed: {@code java -jar gistgrep-github-sim.jar --port 9090}.
 */
@Command(name = "gistgrep-github-sim", mixinStandardHelpOptions = true, version = "gistgrep github-sim",
		sortOptions = false, usageHelpAutoWidth = true,
		description = { "Imitates GitHub's gist API and raw content host for demos and benchmarks.",
				"Users named synthetic-<n> (n up to 100000) exist on demand with n generated gists." })
public final class Main implements Callable<Integer> {

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Option(names = "--port", paramLabel = "PORT",
			description = "API port (0 for any free port). Default: ${DEFAULT-VALUE}.")
	int port = 9090;

	@Option(names = "--raw-port", paramLabel = "PORT",
			description = "Raw content and git port (0 for any free port). Default: ${DEFAULT-VALUE}.")
	int rawPort = 9091;

	@Option(names = "--raw-base-url", paramLabel = "URL",
			description = "Raw base URL to advertise in raw_url. Default: http://<host the client used>:<raw port>.")
	@Nullable String rawBaseUrl;

	@Option(names = "--bind-address", paramLabel = "ADDRESS",
			description = "Address to listen on, 0.0.0.0 inside a container. Default: ${DEFAULT-VALUE}.")
	String bindAddress = "127.0.0.1";

	@Option(names = "--content-bind-address", paramLabel = "ADDRESS",
			description = {
					"Address of the raw content and git listener, whose host name raw_url and git_pull_url use.",
					"Default: --bind-address when it is a wildcard (0.0.0.0), else " + SimOptions.CONTENT_BIND_ADDRESS
							+ "." })
	@Nullable String contentBindAddress;

	@Option(names = "--no-user-agent-check",
			description = "Answer API requests without a User-Agent (GitHub refuses them with 403).")
	boolean noUserAgentCheck;

	@Option(names = "--fixtures", paramLabel = "FILE", description = "Fixture file to load; repeatable.")
	List<Path> fixtures = new ArrayList<>();

	@Option(names = "--no-default-fixtures", description = "Do not load the built-in fixture (user justdionysus).")
	boolean noDefaultFixtures;

	@Option(names = "--synthetic", paramLabel = "LOGIN=COUNT",
			description = "Add a synthetic user with COUNT gists; repeatable.")
	List<String> synthetic = new ArrayList<>();

	@Option(names = "--quota", paramLabel = "N", description = "Hourly quota per token. Default: ${DEFAULT-VALUE}.")
	int quota = 5000;

	@Option(names = "--unauthenticated-quota", paramLabel = "N",
			description = "Hourly quota per IP address without a token. Default: ${DEFAULT-VALUE}.")
	int unauthenticatedQuota = 60;

	@Option(names = "--latency-ms", paramLabel = "N", description = "Delay before each API response.")
	long latencyMs;

	@Option(names = "--raw-latency-ms", paramLabel = "N", description = "Delay before each raw content response.")
	long rawLatencyMs;

	@Option(names = "--error-rate", paramLabel = "RATE",
			description = "Probability (0 to 1) that an API request fails.")
	double errorRate;

	@Option(names = "--raw-error-rate", paramLabel = "RATE",
			description = "Probability (0 to 1) that a raw content request fails.")
	double rawErrorRate;

	@Option(names = "--git-error-rate", paramLabel = "RATE",
			description = "Probability (0 to 1) that a git request fails with 500.")
	double gitErrorRate;

	@Option(names = "--error-status", paramLabel = "STATUS",
			description = "Status of injected failures. Default: ${DEFAULT-VALUE}.")
	int errorStatus = 502;

	@Option(names = "--seed", paramLabel = "N",
			description = "Seed of synthetic users and injected faults. Default: ${DEFAULT-VALUE}.")
	long seed = 42;

	public static void main(String[] args) {
		System.exit(new CommandLine(new Main()).execute(args));
	}

	@Override
	public Integer call() throws InterruptedException {
		GitHubSim sim = start();
		PrintWriter out = new PrintWriter(System.out, true);
		out.println("github-sim API:         " + sim.apiUrl());
		out.println("github-sim raw content: " + sim.rawBaseUrl());
		out.println("github-sim git:         " + sim.gitBaseUrl() + "/git/<gist id>.git");
		out.println("github-sim counters:    " + sim.apiUrl() + "/_sim/counters");
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			sim.close();
			stopped.countDown();
		}));
		stopped.await();
		return 0;
	}

	/**
	 * Starts the simulator the options describe, with its users loaded.
	 */
	GitHubSim start() {
		SimOptions options;
		try {
			SimFaults faults = new SimFaults(Duration.ofMillis(this.latencyMs), Duration.ofMillis(this.rawLatencyMs),
					this.errorRate, this.rawErrorRate, this.gitErrorRate, this.errorStatus, this.seed);
			options = new SimOptions(this.port, this.rawPort, this.rawBaseUrl, this.quota, this.unauthenticatedQuota,
					faults, this.seed, contentBindAddress(), !this.noUserAgentCheck);
		}
		catch (IllegalArgumentException ex) {
			throw new CommandLine.ParameterException(this.spec.commandLine(), ex.getMessage());
		}
		List<SimUser> syntheticUsers = this.synthetic.stream().map(this::syntheticUser).toList();
		GitHubSim sim = GitHubSim.start(options, bindAddress());
		try {
			if (!this.noDefaultFixtures) {
				sim.loadFixtureResource("fixtures/justdionysus.json");
			}
			this.fixtures.forEach(sim::loadFixtures);
			syntheticUsers.forEach(sim::addUser);
			return sim;
		}
		catch (RuntimeException ex) {
			sim.close();
			throw ex;
		}
	}

	private String contentBindAddress() {
		if (this.contentBindAddress != null) {
			try {
				InetAddress.ofLiteral(this.contentBindAddress);
				return this.contentBindAddress;
			}
			catch (IllegalArgumentException ex) {
				throw new CommandLine.ParameterException(this.spec.commandLine(),
						"--content-bind-address expects an IP address, not '" + this.contentBindAddress + "'");
			}
		}
		return bindAddress().isAnyLocalAddress() ? this.bindAddress : SimOptions.CONTENT_BIND_ADDRESS;
	}

	private InetAddress bindAddress() {
		try {
			return InetAddress.ofLiteral(this.bindAddress);
		}
		catch (IllegalArgumentException ex) {
			throw new CommandLine.ParameterException(this.spec.commandLine(),
					"--bind-address expects an IP address, not '" + this.bindAddress + "'");
		}
	}

	private SimUser syntheticUser(String spec) {
		int equals = spec.lastIndexOf('=');
		if (equals <= 0) {
			throw new CommandLine.ParameterException(this.spec.commandLine(),
					"--synthetic expects LOGIN=COUNT, not '" + spec + "'");
		}
		try {
			return SyntheticUsers.generate(spec.substring(0, equals), Integer.parseInt(spec.substring(equals + 1)),
					this.seed);
		}
		catch (IllegalArgumentException ex) {
			throw new CommandLine.ParameterException(this.spec.commandLine(),
					"--synthetic " + spec + ": " + ex.getMessage());
		}
	}

}
