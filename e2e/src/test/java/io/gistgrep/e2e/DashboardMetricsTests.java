package io.gistgrep.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The queries of observe/: every metric a Grafana panel or a Prometheus alert rule reads
 * is exported by the running apps, and every SQL panel runs on the database the apps
 * migrated.
 * <p>
 * Some meters exist only once their event happened, so the apps are scraped after the
 * events: a job with a webhook on the shared {@link Stack}, and, on a stack of its own
 * ({@link OwnStack}), a job whose first token GitHub refuses (401) and a job parked by a
 * short secondary rate limit. {@code rabbitmq_*} (RabbitMQ's Prometheus plugin) and
 * {@code up} (Prometheus' own) are not the apps' to export.
 */
class DashboardMetricsTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final String KEY = "ggk_dashboard" + "0".repeat(38);

	private static final String REVOKED = "dashboard-revoked-token";

	private static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
			"on", "ignoring", "group_left", "group_right", "inf", "nan");

	/**
	 * A metric name not followed by "(" (a function); possessive, so no shorter match.
	 */
	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

	private static GitHubSim sim;

	private static OwnStack own;

	private final Stack stack = Stack.get();

	@BeforeAll
	static void start() {
		sim = GitHubSim.start(SimOptions.defaults());
		sim.revokeToken(REVOKED);
		own = OwnStack.start("dashboard", sim, Map.of("dashboard", KEY),
				"--gistgrep.github.tokens=" + REVOKED + ",dashboard-good-token",
				"--gistgrep.github.secondary-limit-min-wait=1s");
	}

	@AfterAll
	static void stop() {
		if (own != null) {
			own.close();
		}
	}

	@Test
	void everyMetricADashboardPanelOrAnAlertQueriesIsExportedByTheRunningApps() {
		runAJobWithAWebhook();
		runAJobWithARefusedTokenAndOneParkedByASecondaryLimit();
		Set<String> exported = new TreeSet<>();
		for (ConfigurableApplicationContext app : List.of(this.stack.api, this.stack.worker, own.api, own.worker)) {
			exported.addAll(exportedNames(ManagementCalls.scrape(app)));
		}
		Map<String, Set<String>> used = usedMetrics();

		assertThat(used).as("the queries were read: a metric of each dashboard and of the alerts")
			.containsKeys("gistgrep_jobs_finished_total", "gistgrep_github_budget_remaining",
					"gistgrep_tasks_parked_time_seconds_sum", "gistgrep_github_tokens_revoked_total",
					"gistgrep_webhooks_attempts_total", "gistgrep_outbox_oldest_age_seconds",
					"rabbitmq_detailed_queue_consumers", "up", "http_server_requests_seconds_count");
		Map<String, Set<String>> missing = new TreeMap<>();
		used.forEach((name, where) -> {
			if (!name.equals("up") && !name.startsWith("rabbitmq_") && !exported.contains(name)) {
				missing.put(name, where);
			}
		});
		assertThat(missing).as("metrics queried (where) but exported by neither app").isEmpty();
	}

	@Test
	void everyAnalyticsPanelsSqlRunsOnTheMigratedDatabaseAndFindsAJobOfToday() {
		String login = runAJobWithAWebhook();
		JdbcClient jdbc = this.stack.api.getBean(JdbcClient.class);
		Map<String, String> queries = sqlQueries();

		assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
		Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
		queries
			.forEach((title, sql) -> results.put(title, jdbc.sql(grafanaMacrosFor("e2e", sql)).query().listOfRows()));
		assertThat(results.get("Searches per day")).isNotEmpty()
			.allSatisfy((row) -> assertThat(row).containsKeys("time", "searches"));
		assertThat(results.get("Top searched users, per tenant")).as("the job's user, of the e2e tenant")
			.anySatisfy((row) -> assertThat(row).containsEntry("tenant", "e2e").containsEntry("username", login));
		assertThat(results.get("Slowest jobs")).isNotEmpty().allSatisfy((row) -> assertThat(row).containsKey("job_id"));
		assertThat(jdbc.sql(grafanaMacrosFor("e2e", variableQuery())).query(String.class).list()).contains("e2e");
	}

	@Test
	void metricNamesAreReadFromPromqlWithoutFunctionsLabelsRangesOrKeywords() {
		assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(gistgrep_jobs_duration_seconds_bucket"
				+ "{status=\"succeeded\",queue=~\"gistgrep\\\\..*\"}[$__rate_interval]))) / on (job) group_left "
				+ "max without (instance) (up{job=\"x\"} == 1) and absent(gistgrep_outbox_backlog) * 1e3"))
			.containsExactlyInAnyOrder("gistgrep_jobs_duration_seconds_bucket", "up", "gistgrep_outbox_backlog");
		assertThat(exportedNames("""
				# HELP gistgrep_jobs_gists Gists per ended job
				# TYPE gistgrep_jobs_gists histogram
				gistgrep_jobs_gists_bucket{status="failed",le="1.0"} 0
				gistgrep_jobs_gists_count{status="failed"} 0
				process_uptime_seconds 12.5
				""")).containsExactlyInAnyOrder("gistgrep_jobs_gists", "gistgrep_jobs_gists_bucket",
				"gistgrep_jobs_gists_count", "gistgrep_jobs_gists_sum", "gistgrep_jobs_gists_max",
				"process_uptime_seconds");
	}

	/** A job on the shared stack whose end is told to a webhook; returns the user. */
	private String runAJobWithAWebhook() {
		SimUser user = this.stack.sim.addUser(SyntheticUsers.generate("dashboard-" + suffix(), 20, 3));
		try (WebhookReceiver receiver = new WebhookReceiver((n) -> 204)) {
			Stack.Response created = this.stack.post("/jobs", this.stack.json.writeValueAsString(
					Map.of("username", user.login(), "pattern", "TODO", "webhook", Map.of("url", receiver.url()))));
			assertThat(created.status()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(60)).until(() -> !receiver.received.isEmpty());
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ManagementCalls.scrape(this.stack.worker).contains("gistgrep_webhooks_attempts_total{"));
		return user.login();
	}

	private void runAJobWithARefusedTokenAndOneParkedByASecondaryLimit() {
		ApiCalls calls = own.calls("dashboard");
		SimUser first = sim.addUser(SyntheticUsers.generate("refused-" + suffix(), 10, 4));
		assertThat(own.finished("dashboard", calls.submit(first.login(), "TODO")).path("status").asString())
			.isEqualTo("succeeded");

		SimUser second = sim.addUser(SyntheticUsers.generate("parked-" + suffix(), 10, 5));
		long refusedBefore = sim.counters().requests("list", 403);
		sim.setSecondaryLimit(null, Duration.ofSeconds(1));
		try {
			String id = calls.submit(second.login(), "TODO");
			// The limit lifts 2 s after the job's first refused call, however late it
			// came.
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> sim.counters().requests("list", 403) > refusedBefore);
			sim.setSecondaryLimit(Duration.ofSeconds(2), Duration.ofSeconds(1));
			JsonNode job = own.finished("dashboard", id);
			assertThat(job.path("status").asString()).isEqualTo("succeeded");
		}
		finally {
			sim.setSecondaryLimit(Duration.ZERO, null);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			String worker = ManagementCalls.scrape(own.worker);
			return worker.contains("gistgrep_tasks_parked_time_seconds_count{")
					&& worker.contains("gistgrep_github_tokens_revoked_total{");
		});
	}

	/** Each metric name a dashboard panel or an alert rule queries, with where. */
	private static Map<String, Set<String>> usedMetrics() {
		Map<String, Set<String>> used = new TreeMap<>();
		for (Map.Entry<String, String> query : promqlQueries().entrySet()) {
			for (String name : metricNames(query.getValue())) {
				used.computeIfAbsent(name, (n) -> new TreeSet<>()).add(query.getKey());
			}
		}
		return used;
	}

	/** The PromQL of every panel and every alert rule, by "file: title". */
	private static Map<String, String> promqlQueries() {
		Map<String, String> queries = new LinkedHashMap<>();
		for (JsonNode panel : panels()) {
			for (JsonNode target : panel.path("targets")) {
				if (target.has("expr")) {
					queries.put(panel.path("file").asString() + ": " + panel.path("title").asString() + " "
							+ target.path("refId").asString(), target.path("expr").asString());
				}
			}
		}
		Map<String, Object> alerts = new Yaml().load(read("observe/prometheus/alerts.yml"));
		for (Object group : (List<?>) alerts.get("groups")) {
			for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
				Map<?, ?> alert = (Map<?, ?>) rule;
				queries.put(
						"alerts.yml: " + alert.get("alert") + " " + ((Map<?, ?>) alert.get("labels")).get("severity"),
						(String) alert.get("expr"));
			}
		}
		return queries;
	}

	/** The SQL of every PostgreSQL panel, by title. */
	private static Map<String, String> sqlQueries() {
		Map<String, String> queries = new LinkedHashMap<>();
		for (JsonNode panel : panels()) {
			for (JsonNode target : panel.path("targets")) {
				if (target.has("rawSql")) {
					queries.put(panel.path("title").asString(), target.path("rawSql").asString());
				}
			}
		}
		return queries;
	}

	private static String variableQuery() {
		JsonNode dashboard = JsonMapper.builder().build().readTree(read("observe/grafana/dashboards/analytics.json"));
		return dashboard.path("templating").path("list").get(0).path("query").asString();
	}

	/**
	 * Grafana's macros as its PostgreSQL data source expands them ({@code $__timeFilter}
	 * to a {@code BETWEEN} of ISO-8601 literals), for a day either side of now and one
	 * tenant.
	 */
	private static String grafanaMacrosFor(String tenant, String sql) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String expanded = sql
			.replaceAll("\\$__timeFilter\\((\\w+)\\)",
					"$1 BETWEEN '" + now.minus(Duration.ofDays(1)) + "' AND '" + now.plus(Duration.ofDays(1)) + "'")
			.replace("$tenant", "'" + tenant + "'");
		assertThat(expanded).as("a macro this test does not expand").doesNotContain("$");
		return expanded;
	}

	private static List<JsonNode> panels() {
		JsonMapper json = JsonMapper.builder().build();
		List<JsonNode> panels = new ArrayList<>();
		try (Stream<Path> files = Files.list(ROOT.resolve("observe/grafana/dashboards"))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".json")).sorted().toList()) {
				for (JsonNode panel : json.readTree(Files.readString(file)).path("panels")) {
					panels.add(((ObjectNode) panel.deepCopy()).put("file", file.getFileName().toString()));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		assertThat(panels).as("the dashboards' panels").hasSizeGreaterThan(20);
		return panels;
	}

	/**
	 * The metric names a PromQL expression reads: strings, label matchers, ranges and
	 * grouping clauses removed, then every identifier that is not a function or a
	 * keyword.
	 */
	static Set<String> metricNames(String promql) {
		String bare = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^]]*]", " ")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
		Set<String> names = new TreeSet<>();
		Matcher matcher = IDENTIFIER.matcher(bare);
		while (matcher.find()) {
			if (!PROMQL_KEYWORDS.contains(matcher.group(1).toLowerCase())) {
				names.add(matcher.group(1));
			}
		}
		return names;
	}

	/**
	 * The names a scrape exports: each sample's, and for a histogram or a summary its
	 * family with the {@code _bucket}, {@code _count}, {@code _sum} and {@code _max}
	 * series.
	 */
	static Set<String> exportedNames(String scrape) {
		Set<String> names = new TreeSet<>();
		for (String line : scrape.split("\n")) {
			if (line.startsWith("# TYPE ")) {
				String[] parts = line.split(" ");
				if (parts[3].equals("histogram") || parts[3].equals("summary")) {
					for (String suffix : List.of("", "_bucket", "_count", "_sum", "_max")) {
						names.add(parts[2] + suffix);
					}
				}
			}
			else if (!line.isBlank() && !line.startsWith("#")) {
				names.add(line.split("[{ ]", 2)[0]);
			}
		}
		return names;
	}

	private static String read(String relative) {
		try {
			return Files.readString(ROOT.resolve(relative));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
