package io.gistgrep.e2e;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.testing.TestServices;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.worker.WorkerApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole stack in one JVM, started once for every test class: github-sim as GitHub,
 * the api and the worker as two separate Spring applications, both on this run's own
 * PostgreSQL database, RabbitMQ virtual host and Redis database.
 */
final class Stack {

	static final String TOKEN = "e2e-token";

	/**
	 * The API key every request of the e2e tests carries (tenant {@code e2e}), seeded
	 * through {@code GISTGREP_BOOTSTRAP_API_KEYS}.
	 */
	static final String API_KEY = "ggk_e2e00000000000000000000000000000000000000000";

	static final String BOOTSTRAP_API_KEYS = "--gistgrep.bootstrap-api-keys=e2e:" + API_KEY;

	/**
	 * 13 retries, 14 attempts: with 30% of GitHub requests failing, a file (or listing
	 * page) fails every attempt with probability 0.3^14 ≈ 5e-8, so a job of a thousand
	 * files loses one in about 20,000 runs; the waits stay short.
	 */
	static final String RETRY_DELAYS = "1s,1s,1s,1s,1s,1s,1s,1s,2s,2s,2s,2s,2s";

	/**
	 * The content host's budget in the tests: github-sim on loopback does not throttle
	 * unless told to, so the production default (50/s, for GitHub) would only slow the
	 * suite down.
	 */
	static final String RAW_RATE = "500";

	private static Stack instance;

	final GitHubSim sim;

	final ConfigurableApplicationContext api;

	final ConfigurableApplicationContext worker;

	final String apiUrl;

	private final String[] workerArgs;

	private final ApiCalls calls;

	final HttpClient http = HttpClient.newHttpClient();

	final JsonMapper json = JsonMapper.builder().build();

	private Stack() {
		this.sim = GitHubSim.start(SimOptions.defaults());
		this.sim.loadFixtureResource("fixtures/justdionysus.json");
		Map<String, String> services = TestServices.get().properties();
		this.api = new SpringApplicationBuilder(ApiApplication.class).run(args(services, "--server.port=0",
				"--management.server.port=0", "--gistgrep.outbox.poll-interval=200ms",
				"--spring.application.name=e2e-api", "--gistgrep.webhooks.allow-private=true", BOOTSTRAP_API_KEYS,
				// Retention runs when a test calls it, never on its own mid-suite.
				"--gistgrep.retention.initial-delay=365d"));
		this.workerArgs = args(services, "--server.port=0", "--management.server.port=0",
				"--spring.application.name=e2e-worker", "--gistgrep.github.api-url=" + this.sim.apiUrl(),
				"--gistgrep.github.raw-hosts=" + this.sim.rawHost(),
				"--gistgrep.github.git-hosts=" + this.sim.gitHost(), "--gistgrep.github.tokens=" + TOKEN,
				"--gistgrep.worker.retry-delays=" + RETRY_DELAYS, "--gistgrep.webhooks.allow-private=true",
				"--gistgrep.webhooks.retry-delays=1s,1s,1s", "--gistgrep.outbox.poll-interval=200ms",
				"--gistgrep.github.raw.rate=" + RAW_RATE);
		this.worker = new SpringApplicationBuilder(WorkerApplication.class).run(this.workerArgs);
		int port = ((WebServerApplicationContext) this.api).getWebServer().getPort();
		this.apiUrl = "http://127.0.0.1:" + port;
		this.calls = new ApiCalls(this.apiUrl, API_KEY);
	}

	private static RuntimeException failure;

	static synchronized Stack get() {
		if (failure != null) {
			throw new IllegalStateException("The stack failed to start for an earlier test", failure);
		}
		if (instance == null) {
			try {
				instance = new Stack();
			}
			catch (RuntimeException ex) {
				// Don't start it again for every test class: each try would leak what did
				// start.
				failure = ex;
				throw ex;
			}
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				instance.worker.close();
				instance.api.close();
				instance.sim.close();
			}));
		}
		return instance;
	}

	/**
	 * The ids of a simulated user's gists that match, computed from the simulator's data
	 * with java.util.regex, independently of the scanner.
	 */
	static Set<String> expectedMatches(SimUser user, Pattern pattern) {
		Set<String> ids = new HashSet<>();
		for (SimGist gist : user.gists()) {
			for (SimFile file : gist.files()) {
				String text = new String(file.content(), StandardCharsets.UTF_8);
				if (text.indexOf('\0') < 0 && pattern.matcher(text).find()) {
					ids.add(gist.id());
				}
			}
		}
		return ids;
	}

	/**
	 * Spring Boot command-line arguments: {@code services} as properties, then
	 * {@code more}.
	 */
	static String[] args(Map<String, String> services, String... more) {
		List<String> args = new ArrayList<>();
		services.forEach((key, value) -> args.add("--" + key + "=" + value));
		args.addAll(List.of(more));
		return args.toArray(String[]::new);
	}

	/**
	 * Starts another worker, like the first one and on the same services; the caller
	 * closes it.
	 */
	ConfigurableApplicationContext startWorker(String... more) {
		List<String> args = new ArrayList<>(List.of(this.workerArgs));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(WorkerApplication.class).run(args.toArray(String[]::new));
	}

	Response post(String path, String json) {
		return this.calls.post(path, json);
	}

	Response get(String path) {
		return this.calls.get(path);
	}

	record Response(int status, Map<String, List<String>> headers, String body, JsonMapper mapper) {

		JsonNode json() {
			return this.mapper.readTree(this.body);
		}

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((e) -> e.getKey().equalsIgnoreCase(name))
				.map((e) -> e.getValue().getFirst())
				.findFirst()
				.orElse(null);
		}

	}

}
