package io.gistgrep.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * An api and a worker of a broker test's own, on isolated services
 * ({@link TestServices#isolated}) and the given sim, with properties that both apps get
 * (a broker port, a scan-queue limit): unlike {@link OwnStack}, whose extra properties
 * reach the worker only. Each property is given once (twice on a command line, Spring
 * would comma-join the values).
 */
final class BrokerStack implements AutoCloseable {

	private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");

	final ConfigurableApplicationContext api;

	final ConfigurableApplicationContext worker;

	final ApiCalls calls;

	private BrokerStack(ConfigurableApplicationContext api, ConfigurableApplicationContext worker, String key) {
		this.api = api;
		this.worker = worker;
		this.calls = new ApiCalls("http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort(),
				key);
	}

	/**
	 * @param name names the isolated services, the apps and the tenant of {@code key}
	 * @param both properties for both apps, which replace the services' and the defaults
	 * @param workerOnly more properties for the worker
	 */
	static BrokerStack start(String name, GitHubSim sim, String key, Map<String, String> both,
			Map<String, String> workerOnly) {
		Map<String, String> common = new LinkedHashMap<>(TestServices.get().isolated(name));
		common.put("server.port", "0");
		common.put("management.server.port", "0");
		common.put("gistgrep.outbox.poll-interval", "200ms");
		common.put("gistgrep.outbox.max-backoff", "1s");
		common.putAll(both);
		Map<String, String> api = new LinkedHashMap<>(common);
		api.put("spring.application.name", name + "-api");
		api.put("gistgrep.bootstrap-api-keys", name + ":" + key);
		Map<String, String> worker = new LinkedHashMap<>(common);
		worker.put("spring.application.name", name + "-worker");
		worker.put("gistgrep.github.api-url", sim.apiUrl());
		worker.put("gistgrep.github.raw-hosts", sim.rawHost());
		worker.put("gistgrep.github.git-hosts", sim.gitHost());
		worker.put("gistgrep.github.tokens", name + "-token");
		worker.put("gistgrep.worker.retry-delays", Stack.RETRY_DELAYS);
		worker.put("gistgrep.github.raw.rate", Stack.RAW_RATE);
		worker.putAll(workerOnly);
		ConfigurableApplicationContext apiContext = new SpringApplicationBuilder(ApiApplication.class)
			.run(Stack.args(api));
		try {
			ConfigurableApplicationContext workerContext = new SpringApplicationBuilder(WorkerApplication.class)
				.run(Stack.args(worker));
			return new BrokerStack(apiContext, workerContext, key);
		}
		catch (RuntimeException ex) {
			apiContext.close();
			throw ex;
		}
	}

	/** The job once it has ended. */
	JsonNode finished(String id) {
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> ENDED.contains(this.calls.json("/jobs/" + id).path("status").asString()));
		return this.calls.json("/jobs/" + id);
	}

	/** The gist ids of a job's matches, every page, in the order listed. */
	List<String> matchedIds(String id) {
		List<String> ids = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = this.calls
				.json("/jobs/" + id + "/matches?limit=1000" + ((cursor != null) ? "&cursor=" + cursor : ""));
			page.path("data").forEach((match) -> ids.add(match.path("gist_id").asString()));
			cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asString();
		}
		while (cursor != null);
		return ids;
	}

	/** A counter's total over both apps (0 where an app has none yet). */
	double counted(String name) {
		return count(this.api, name) + count(this.worker, name);
	}

	private static double count(ConfigurableApplicationContext app, String name) {
		Counter counter = app.getBean(MeterRegistry.class).find(name).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Override
	public void close() {
		this.worker.close();
		this.api.close();
	}

}
