package io.gistgrep.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.worker.WorkerApplication;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stack of its own for the outage tests: github-sim at 15 ms of latency, one api and
 * one worker on {@code services} (in which the test points PostgreSQL or Redis at a
 * {@code TcpProxy}), each app named {@code <name>-api} and {@code <name>-worker} (also
 * their {@code application_name} in PostgreSQL).
 */
final class OutageStack implements AutoCloseable {

	static final Duration LATENCY = Duration.ofMillis(15);

	final GitHubSim sim;

	final ConfigurableApplicationContext api;

	final ConfigurableApplicationContext worker;

	final ApiCalls calls;

	final String apiManagement;

	final String workerManagement;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	OutageStack(String name, Map<String, String> services) {
		String key = "ggk_" + name + "0".repeat(47 - name.length());
		this.sim = GitHubSim
			.start(SimOptions.defaults().withFaults(SimFaults.none().withApiLatency(LATENCY).withRawLatency(LATENCY)));
		AtomicInteger apiManagementPort = new AtomicInteger();
		this.api = new SpringApplicationBuilder(ApiApplication.class).listeners(managementPort(apiManagementPort))
			.run(Stack.args(services, "--server.port=0", "--management.server.port=0",
					"--spring.application.name=" + name + "-api", "--gistgrep.outbox.poll-interval=200ms",
					"--gistgrep.bootstrap-api-keys=" + name + ":" + key));
		AtomicInteger workerManagementPort = new AtomicInteger();
		this.worker = new SpringApplicationBuilder(WorkerApplication.class)
			.listeners(managementPort(workerManagementPort))
			.run(Stack.args(services, "--server.port=0", "--management.server.port=0",
					"--spring.application.name=" + name + "-worker", "--gistgrep.github.api-url=" + this.sim.apiUrl(),
					"--gistgrep.github.raw-hosts=" + this.sim.rawHost(),
					"--gistgrep.github.git-hosts=" + this.sim.gitHost(), "--gistgrep.github.tokens=" + name + "-token",
					"--gistgrep.worker.retry-delays=" + Stack.RETRY_DELAYS, "--gistgrep.outbox.poll-interval=200ms",
					"--gistgrep.github.raw.rate=500", "--gistgrep.github.raw.min-rate=100",
					"--gistgrep.github.raw.max-concurrency=32"));
		String apiUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) this.api).getWebServer().getPort();
		this.calls = new ApiCalls(apiUrl, key);
		this.apiManagement = "http://127.0.0.1:" + apiManagementPort.get();
		this.workerManagement = "http://127.0.0.1:" + workerManagementPort.get();
	}

	private static ApplicationListener<WebServerInitializedEvent> managementPort(AtomicInteger port) {
		return (event) -> {
			if ("management".equals(event.getApplicationContext().getServerNamespace())) {
				port.set(event.getWebServer().getPort());
			}
		};
	}

	/** The HTTP status of a management URL ({@code /actuator/health/readiness}...). */
	int status(String managementUrl, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl + path))
			.timeout(Duration.ofSeconds(5))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Waits for the job to end, within {@code within}; its final state. */
	JsonNode finished(String id, Duration within) {
		AtomicReference<JsonNode> last = new AtomicReference<>();
		try {
			await().atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
				last.set(this.calls.json("/jobs/" + id));
				String status = last.get().path("status").asString();
				return status.equals("succeeded") || status.equals("failed");
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("The job did not end within " + within + ": " + last.get(), ex);
		}
		return this.calls.json("/jobs/" + id);
	}

	/** Gists counted so far (scanned or failed). */
	int counted(String id) {
		JsonNode progress = this.calls.json("/jobs/" + id).path("progress");
		return progress.path("gists_scanned").asInt() + progress.path("gists_failed").asInt();
	}

	/**
	 * Asserts that the job succeeded exact: every gist counted once, none failed, and its
	 * matches the gists the pattern matches in the sim's data, each listed once.
	 */
	void assertExact(JsonNode job, SimUser user, String pattern) {
		int gists = user.gists().size();
		Set<String> expected = Stack.expectedMatches(user, Pattern.compile(pattern));
		assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("succeeded");
		JsonNode progress = job.path("progress");
		assertThat(progress.path("gists_total").asInt()).isEqualTo(gists);
		assertThat(progress.path("gists_scanned").asInt()).as("counted once").isEqualTo(gists);
		assertThat(progress.path("gists_failed").asInt()).isZero();
		assertThat(progress.path("gists_matched").asInt()).isEqualTo(expected.size());
		List<String> listed = matchedGists(job.path("id").asString());
		assertThat(listed).as("no duplicates").doesNotHaveDuplicates();
		assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
	}

	private List<String> matchedGists(String id) {
		List<String> ids = new ArrayList<>();
		String path = "/jobs/" + id + "/matches?limit=1000";
		for (int pages = 0; path != null; pages++) {
			assertThat(pages).as("pages").isLessThan(20);
			Stack.Response page = this.calls.get(path);
			assertThat(page.status()).as(page.body()).isEqualTo(200);
			page.json().path("data").forEach((match) -> ids.add(match.path("gist_id").asString()));
			String link = page.header("Link");
			path = (link != null) ? link.substring(1, link.indexOf('>')) : null;
		}
		return ids;
	}

	@Override
	public void close() {
		this.worker.close();
		this.api.close();
		this.sim.close();
	}

}
