package io.gistgrep.e2e;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jobs' metrics as Prometheus sees them: scraped over HTTP from the management ports
 * of the api and the worker, before and after a job. On a stack of this class's own, so
 * that no other test's job moves a counter meanwhile.
 */
class MetricsTests {

	private static final String KEY = "ggk_metrics" + "0".repeat(40);

	private static OwnStack stack;

	private static ApiCalls calls;

	@BeforeAll
	static void start() {
		stack = OwnStack.start("metrics", GitHubSim.start(SimOptions.defaults()), Map.of("metrics", KEY));
		calls = stack.calls("metrics");
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void aJobMovesTheJobMetricsOfTheApiAndTheWorkerWithoutALabelNamingItsUserPatternOrId() {
		SimUser user = stack.sim.addUser(SyntheticUsers.generate("metrics-" + suffix(), 30, 5));
		String pattern = "TODO|QZXmetrics" + suffix();
		Scrape api = scrape(stack.api);
		Scrape worker = scrape(stack.worker);

		String id = submit(user.login(), pattern);
		JsonNode job = finished(id);

		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		// Recorded once the ending transaction has committed, which the poll may see
		// first.
		Scrape workerAfter = await().atMost(Duration.ofSeconds(10))
			.until(() -> scrape(stack.worker), (after) -> after.value("gistgrep_jobs_finished_total",
					"status=\"succeeded\"") > worker.value("gistgrep_jobs_finished_total", "status=\"succeeded\""));
		Scrape apiAfter = scrape(stack.api);
		assertThat(apiAfter.value("gistgrep_jobs_submitted_total", "") - api.value("gistgrep_jobs_submitted_total", ""))
			.isEqualTo(1);
		assertThat(workerAfter.value("gistgrep_jobs_finished_total", "status=\"succeeded\"")
				- worker.value("gistgrep_jobs_finished_total", "status=\"succeeded\""))
			.isEqualTo(1);
		for (String timer : new String[] { "gistgrep_jobs_duration_seconds_count",
				"gistgrep_jobs_run_duration_seconds_count" }) {
			assertThat(workerAfter.value(timer, "status=\"succeeded\"") - worker.value(timer, "status=\"succeeded\""))
				.as(timer)
				.isEqualTo(1);
		}
		assertThat(workerAfter.value("gistgrep_jobs_queued_duration_seconds_count", "")
				- worker.value("gistgrep_jobs_queued_duration_seconds_count", ""))
			.isEqualTo(1);
		assertThat(workerAfter.value("gistgrep_jobs_gists_sum", "status=\"succeeded\"")
				- worker.value("gistgrep_jobs_gists_sum", "status=\"succeeded\""))
			.as("the job's 30 gists")
			.isEqualTo(30);
		assertThat(workerAfter.value("gistgrep_jobs_gists_bucket", "status=\"succeeded\",le=\"100.0\"")
				- worker.value("gistgrep_jobs_gists_bucket", "status=\"succeeded\",le=\"100.0\""))
			.as(workerAfter.lines("gistgrep_jobs_gists"))
			.isEqualTo(1);
		assertThat(workerAfter.value("gistgrep_jobs_gists_bucket", "status=\"succeeded\",le=\"10.0\"")
				- worker.value("gistgrep_jobs_gists_bucket", "status=\"succeeded\",le=\"10.0\""))
			.isZero();
		assertThat(workerAfter.value("gistgrep_scan_bytes_total", "") - worker.value("gistgrep_scan_bytes_total", ""))
			.as("every byte of the user's files scanned: the pattern is new, so no scan result is cached")
			.isGreaterThanOrEqualTo((double) user.gists()
				.stream()
				.flatMap((gist) -> gist.files().stream())
				.mapToLong(SimFile::size)
				.sum());

		for (Scrape scrape : new Scrape[] { apiAfter, workerAfter }) {
			assertThat(scrape.text()).doesNotContain(user.login()).doesNotContain(id).doesNotContain("QZXmetrics");
			assertThat(scrape.has("gistgrep_outbox_backlog")).isTrue();
			assertThat(scrape.has("gistgrep_outbox_oldest_age_seconds")).isTrue();
		}
		assertThat(workerAfter.has("gistgrep_dead_letters{queue=\"gistgrep.gists.scan\"}")).isTrue();
		for (String help : new String[] { "gistgrep_jobs_submitted_total", "gistgrep_jobs_finished_total",
				"gistgrep_jobs_duration_seconds", "gistgrep_jobs_run_duration_seconds",
				"gistgrep_jobs_queued_duration_seconds", "gistgrep_jobs_gists", "gistgrep_outbox_backlog",
				"gistgrep_outbox_oldest_age_seconds", "gistgrep_scan_bytes_total", "gistgrep_scan_time_seconds",
				"gistgrep_dead_letters" }) {
			Scrape where = help.startsWith("gistgrep_jobs_submitted") ? apiAfter : workerAfter;
			assertThat(where.text()).as("a description of " + help).containsPattern("# HELP " + help + " \\S");
		}
	}

	@Test
	void aCancelIsCountedByTheApiThatMadeIt() {
		SimUser user = stack.sim.addUser(SyntheticUsers.generate("metrics-cancel-" + suffix(), 3000, 6));
		Scrape api = scrape(stack.api);

		String id = submit(user.login(), "TODO");
		Stack.Response cancel = calls.post("/jobs/" + id + "/cancel", "");

		assertThat(cancel.status()).as("cancelled while it lists or scans 3,000 gists").isEqualTo(202);
		Scrape after = await().atMost(Duration.ofSeconds(10))
			.until(() -> scrape(stack.api), (now) -> now.value("gistgrep_jobs_finished_total",
					"status=\"cancelled\"") > api.value("gistgrep_jobs_finished_total", "status=\"cancelled\""));
		assertThat(after.value("gistgrep_jobs_finished_total", "status=\"cancelled\"")
				- api.value("gistgrep_jobs_finished_total", "status=\"cancelled\""))
			.isEqualTo(1);
		assertThat(after.value("gistgrep_jobs_duration_seconds_count", "status=\"cancelled\"")
				- api.value("gistgrep_jobs_duration_seconds_count", "status=\"cancelled\""))
			.isEqualTo(1);
	}

	private static String submit(String username, String pattern) {
		return calls.submit(username, pattern);
	}

	private static JsonNode finished(String id) {
		return stack.finished("metrics", id);
	}

	private static Scrape scrape(ConfigurableApplicationContext app) {
		return new Scrape(ManagementCalls.scrape(app));
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	/** One scrape in Prometheus' text format. */
	private record Scrape(String text) {

		/**
		 * The sum of the samples of {@code name} whose labels contain {@code labels}; 0
		 * when there is none.
		 */
		double value(String name, String labels) {
			double sum = 0;
			for (String line : this.text.split("\n")) {
				if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
					String series = line.substring(0, line.lastIndexOf(' '));
					if (series.contains(labels)) {
						sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
					}
				}
			}
			return sum;
		}

		String lines(String prefix) {
			return String.join("\n", this.text.lines().filter((line) -> line.startsWith(prefix)).toList());
		}

		boolean has(String series) {
			return this.text.lines().anyMatch((line) -> line.startsWith(series));
		}

	}

}
