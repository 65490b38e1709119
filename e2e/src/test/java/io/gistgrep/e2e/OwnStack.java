package io.gistgrep.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * A stack of a test class's own, for tests that configure the worker or github-sim in a
 * way the shared {@link Stack} must not see: the given sim, an api and a worker on a
 * database, virtual host and Redis database of their own ({@link TestServices#isolated}),
 * the worker pointed at the sim's API and content hosts with one token, short retry
 * delays, a quick outbox and the tests' content-host budget.
 *
 * <pre>
 * stack = OwnStack.start("polite", sim, Map.of("polite", KEY), "--gistgrep.github.raw.rate=100");
 * JsonNode job = stack.finished(stack.calls(KEY).submit(login, "TODO"));
 * </pre>
 */
final class OwnStack implements AutoCloseable {

	private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");

	final GitHubSim sim;

	final ConfigurableApplicationContext api;

	final ConfigurableApplicationContext worker;

	final String apiUrl;

	private final Map<String, String> keys;

	private OwnStack(GitHubSim sim, ConfigurableApplicationContext api, ConfigurableApplicationContext worker,
			Map<String, String> keys) {
		this.sim = sim;
		this.api = api;
		this.worker = worker;
		this.keys = keys;
		this.apiUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort();
	}

	/**
	 * Starts the api and the worker; the worker's token is {@code <name>-token} unless
	 * {@code workerArgs} set {@code --gistgrep.github.tokens}.
	 * @param name names the isolated services and the apps
	 * @param keys the API keys to seed, by tenant
	 * @param workerArgs more worker properties, which win over the defaults
	 */
	static OwnStack start(String name, GitHubSim sim, Map<String, String> keys, String... workerArgs) {
		Map<String, String> services = TestServices.get().isolated(name);
		List<String> bootstrap = new ArrayList<>();
		keys.forEach((tenant, key) -> bootstrap.add(tenant + ":" + key));
		ConfigurableApplicationContext api = new SpringApplicationBuilder(ApiApplication.class)
			.run(Stack.args(services, "--server.port=0", "--management.server.port=0",
					"--spring.application.name=" + name + "-api", "--gistgrep.outbox.poll-interval=200ms",
					"--gistgrep.bootstrap-api-keys=" + String.join(",", bootstrap)));
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("management.server.port", "0");
		properties.put("spring.application.name", name + "-worker");
		properties.put("gistgrep.github.api-url", sim.apiUrl());
		properties.put("gistgrep.github.raw-hosts", sim.rawHost());
		properties.put("gistgrep.github.git-hosts", sim.gitHost());
		properties.put("gistgrep.github.tokens", name + "-token");
		properties.put("gistgrep.worker.retry-delays", Stack.RETRY_DELAYS);
		properties.put("gistgrep.outbox.poll-interval", "200ms");
		properties.put("gistgrep.github.raw.rate", Stack.RAW_RATE);
		// Given twice on a command line, a property would get both values, comma-joined:
		// the test's arguments replace the defaults instead.
		for (String arg : workerArgs) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Not a --property=value: " + arg);
			}
			properties.put(arg.substring(2, equals), arg.substring(equals + 1));
		}
		String[] args = properties.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		try {
			ConfigurableApplicationContext worker = new SpringApplicationBuilder(WorkerApplication.class)
				.run(Stack.args(services, args));
			return new OwnStack(sim, api, worker, Map.copyOf(keys));
		}
		catch (RuntimeException ex) {
			api.close();
			throw ex;
		}
	}

	/** Calls to the api with the key of {@code tenant}. */
	ApiCalls calls(String tenant) {
		String key = this.keys.get(tenant);
		if (key == null) {
			throw new IllegalArgumentException("No key for tenant " + tenant);
		}
		return new ApiCalls(this.apiUrl, key);
	}

	/** The job once it has ended, as the api shows it to {@code tenant}. */
	JsonNode finished(String tenant, String id) {
		return finished(tenant, id, (running) -> {
		});
	}

	/**
	 * The job once it has ended; {@code whileRunning} sees each document polled before.
	 */
	JsonNode finished(String tenant, String id, Consumer<JsonNode> whileRunning) {
		ApiCalls calls = calls(tenant);
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
			JsonNode job = calls.json("/jobs/" + id);
			if (ENDED.contains(job.path("status").asString())) {
				return true;
			}
			whileRunning.accept(job);
			return false;
		});
		return calls.json("/jobs/" + id);
	}

	/** Closes the apps and the sim. */
	@Override
	public void close() {
		this.worker.close();
		this.api.close();
		this.sim.close();
	}

}
