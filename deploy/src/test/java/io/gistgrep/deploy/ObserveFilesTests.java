package io.gistgrep.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static io.gistgrep.deploy.RepositoryFiles.at;
import static io.gistgrep.deploy.RepositoryFiles.list;
import static io.gistgrep.deploy.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files of observe/: Prometheus' alert rules and scrape configuration, Grafana's data
 * sources and dashboards, parsed (JSON is YAML to SnakeYAML), and the runbook each alert
 * points at in docs/operations.md. That every metric they query is exported is
 * e2e/DashboardMetricsTests' part.
 */
class ObserveFilesTests {

	/** The alerts issue 14 asks for, each with the rule that answers it. */
	private static final Map<String, String> ALERTS = alerts();

	private static final Set<String> DASHBOARDS = Set.of("gistgrep-pipeline", "gistgrep-github", "gistgrep-analytics");

	@Test
	void alertsHaveTheExpectedGroupsAndAnAlertForEveryCaseTheIssueNames() {
		Map<String, Object> rules = RepositoryFiles.yaml("observe/prometheus/alerts.yml");
		List<String> groups = new ArrayList<>();
		Set<String> alerts = new TreeSet<>();
		for (Object group : list(rules.get("groups"))) {
			groups.add((String) map(group).get("name"));
			for (Object rule : list(map(group).get("rules"))) {
				alerts.add((String) map(rule).get("alert"));
			}
		}

		assertThat(groups).containsExactly("gistgrep-jobs", "gistgrep-pipeline", "gistgrep-github",
				"gistgrep-webhooks");
		assertThat(alerts).containsAll(ALERTS.values());
	}

	@Test
	void everyAlertHasAnExpressionASeverityASummaryADescriptionAndARunbookSection() {
		String operations = RepositoryFiles.read("docs/operations.md");
		List<Map<String, Object>> rules = rules();

		assertThat(rules).hasSizeGreaterThanOrEqualTo(ALERTS.size());
		for (Map<String, Object> rule : rules) {
			String alert = (String) rule.get("alert");
			assertThat(alert).as("every rule is an alert (no recording rule)").isNotBlank();
			assertThat((String) rule.get("expr")).as(alert).isNotBlank();
			assertThat(at(rule, "labels", "severity")).as(alert).isIn("critical", "warning");
			assertThat((String) at(rule, "annotations", "summary")).as(alert).isNotBlank();
			assertThat((String) at(rule, "annotations", "description")).as(alert).isNotBlank();
			assertThat(at(rule, "annotations", "runbook_url")).as(alert)
				.isEqualTo("docs/operations.md#" + alert.toLowerCase());
			assertThat(operations).as("the runbook section of " + alert).contains("\n### " + alert + "\n");
		}
	}

	@Test
	void alertRulesPassTheirPromtoolUnitTests() throws IOException, InterruptedException {
		Assumptions.assumeTrue(onPath("promtool"), "promtool (Debian: apt-get install prometheus) is not installed");

		String output = run(RepositoryFiles.path("observe/prometheus").toFile(), "promtool", "test", "rules",
				"alerts.test.yml");

		assertThat(output).contains("SUCCESS");
	}

	@Test
	void theAlertmanagerExampleRoutesEachSeverityToAReceiverAndIsValid() throws IOException, InterruptedException {
		String operations = RepositoryFiles.read("docs/operations.md");
		int start = operations.indexOf("```yaml\nroute:");
		assertThat(start).as("an Alertmanager example in docs/operations.md").isPositive();
		String example = operations.substring(start + "```yaml\n".length(), operations.indexOf("```", start + 7));
		Map<String, Object> config = RepositoryFiles.yamlDocuments(example).getFirst();
		Map<String, String> receiverBySeverity = new LinkedHashMap<>();
		for (Object route : list(at(config, "route", "routes"))) {
			receiverBySeverity.put(String.valueOf(list(map(route).get("matchers")).getFirst()),
					(String) map(route).get("receiver"));
		}
		Set<String> receivers = new TreeSet<>();
		for (Object receiver : list(config.get("receivers"))) {
			receivers.add((String) map(receiver).get("name"));
		}

		assertThat(receiverBySeverity).containsOnlyKeys("severity=\"critical\"", "severity=\"warning\"");
		assertThat(receivers).containsAll(receiverBySeverity.values());
		assertThat(receiverBySeverity.get("severity=\"critical\""))
			.isNotEqualTo(receiverBySeverity.get("severity=\"warning\""));
		if (onPath("amtool")) {
			Path file = Files.createTempFile("alertmanager", ".yml");
			try {
				Files.writeString(file, example);
				assertThat(run(file.getParent().toFile(), "amtool", "check-config", file.toString()))
					.contains("SUCCESS");
			}
			finally {
				Files.delete(file);
			}
		}
	}

	@Test
	void prometheusLoadsTheAlertsAndScrapesTheAppsAndRabbitMQsPerQueueMetrics() {
		Map<String, Object> prometheus = RepositoryFiles.yaml("observe/prometheus/prometheus.yml");
		Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
		for (Object job : list(prometheus.get("scrape_configs"))) {
			jobs.put((String) map(job).get("job_name"), map(job));
		}
		List<Object> volumes = list(
				at(RepositoryFiles.yaml("docker-compose.yml"), "services", "prometheus", "volumes"));

		assertThat(jobs).containsOnlyKeys("gistgrep-api", "gistgrep-worker", "rabbitmq");
		assertThat(list(prometheus.get("rule_files"))).containsExactly("/etc/prometheus/alerts.yml");
		assertThat(volumes).contains("./observe/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
		Map<String, Object> rabbitmq = jobs.get("rabbitmq");
		assertThat(rabbitmq).containsEntry("metrics_path", "/metrics/detailed");
		assertThat(list(at(rabbitmq, "params", "family"))).containsExactlyInAnyOrder("queue_coarse_metrics",
				"queue_consumer_count");
		assertThat(list(at(list(rabbitmq.get("static_configs")).getFirst(), "targets")))
			.containsExactly("rabbitmq:15692");
	}

	@Test
	void grafanaHasAPrometheusAndAPostgreSQLDataSourceAndLoadsTheDashboardsFolder() {
		Map<String, Map<String, Object>> sources = dataSources();
		Map<String, Object> grafana = map(at(RepositoryFiles.yaml("docker-compose.yml"), "services", "grafana"));
		Map<String, Object> provider = map(
				list(RepositoryFiles.yaml("observe/grafana/provisioning/dashboards/gistgrep.yml").get("providers"))
					.getFirst());

		assertThat(sources).containsOnlyKeys("prometheus", "postgres");
		assertThat(sources.get("prometheus")).containsEntry("type", "prometheus")
			.containsEntry("url", "http://prometheus:9090");
		assertThat(sources.get("postgres")).containsEntry("type", "grafana-postgresql-datasource")
			.containsEntry("url", "postgres:5432")
			.containsEntry("user", "$GISTGREP_GRAFANA_DB_USER");
		assertThat(at(sources.get("postgres"), "jsonData", "database")).isEqualTo("gistgrep");
		assertThat(at(sources.get("postgres"), "secureJsonData", "password"))
			.isEqualTo("$GISTGREP_GRAFANA_DB_PASSWORD");
		assertThat(map(grafana.get("environment"))).containsKeys("GISTGREP_GRAFANA_DB_USER",
				"GISTGREP_GRAFANA_DB_PASSWORD");
		assertThat(at(provider, "options", "path")).isEqualTo("/var/lib/grafana/dashboards");
		assertThat(list(grafana.get("volumes")))
			.contains("./observe/grafana/dashboards:" + at(provider, "options", "path") + ":ro");
	}

	@Test
	void theDashboardsArePipelineGitHubAndAnalyticsWithAQueryOnAProvisionedSourceInEveryPanel() {
		Map<String, Map<String, Object>> sources = dataSources();
		Map<String, Map<String, Object>> dashboards = dashboards();

		assertThat(dashboards).containsOnlyKeys(DASHBOARDS);
		dashboards.forEach((uid, dashboard) -> {
			List<Object> panels = list(dashboard.get("panels"));
			assertThat(panels).as(uid).hasSizeGreaterThanOrEqualTo(5);
			Set<Object> ids = new TreeSet<>();
			for (Object value : panels) {
				Map<String, Object> panel = map(value);
				String title = uid + ": " + panel.get("title");
				assertThat(ids.add(panel.get("id"))).as("a unique id for " + title).isTrue();
				String source = (String) at(panel, "datasource", "uid");
				assertThat(sources).as(title).containsKey(source);
				assertThat(at(panel, "datasource", "type")).as(title).isEqualTo(sources.get(source).get("type"));
				List<Object> targets = list(panel.get("targets"));
				assertThat(targets).as(title).isNotEmpty();
				for (Object target : targets) {
					String query = (String) map(target).get(source.equals("prometheus") ? "expr" : "rawSql");
					assertThat(query).as(title).isNotBlank();
				}
			}
		});
	}

	@Test
	void eachDashboardAnswersTheQuestionsTheIssueListsForIt() {
		Map<String, String> queries = new LinkedHashMap<>();
		dashboards().forEach((uid, dashboard) -> queries.put(uid, String.join("\n", queries(dashboard))));

		assertThat(queries.get("gistgrep-pipeline")).contains("gistgrep_jobs_finished_total",
				"histogram_quantile(0.5, sum by (le) (rate(gistgrep_jobs_duration_seconds_bucket",
				"histogram_quantile(0.95, sum by (le) (rate(gistgrep_jobs_duration_seconds_bucket",
				"rate(gistgrep_gists_total", "sum by (queue) (rabbitmq_detailed_queue_messages_ready",
				"gistgrep_outbox_backlog", "gistgrep_outbox_oldest_age_seconds", "gistgrep_dead_letters",
				"count(up{job=~\"(.+-)?gistgrep-worker\"} == 1)");
		assertThat(queries.get("gistgrep-github")).contains(
				"sum by (kind, status) (rate(gistgrep_github_requests_total",
				"min by (token) (gistgrep_github_budget_remaining)", "gistgrep_tasks_parked_time_seconds_sum",
				"gistgrep_github_requests_total{status=\"304\"}",
				"sum by (cache) (rate(gistgrep_cache_total{result=\"hit\"}");
		assertThat(queries.get("gistgrep-analytics")).contains("FROM analytics_daily", "count(DISTINCT username)",
				"gist_match_rate", "FROM analytics_slowest_jobs", "FROM analytics_largest_jobs", "FROM analytics_users",
				"FROM analytics_patterns", "PARTITION BY tenant");
	}

	@Test
	void noDashboardQueryGroupsByAUserAPatternOrAJob() {
		for (Map<String, Object> dashboard : dashboards().values()) {
			for (String query : queries(dashboard)) {
				assertThat(query).doesNotContainPattern("by \\([^)]*(username|pattern|job_id)");
			}
		}
	}

	private static Map<String, String> alerts() {
		Map<String, String> alerts = new LinkedHashMap<>();
		alerts.put("job failure ratio", "GistgrepJobFailureRatioHigh");
		alerts.put("jobs stuck running", "GistgrepJobsStalled");
		alerts.put("jobs stuck, none finishing", "GistgrepJobsNotFinishing");
		alerts.put("outbox backlog age", "GistgrepOutboxBacklogOld");
		alerts.put("dead letters above 0", "GistgrepDeadLetters");
		alerts.put("GitHub budget under 10 % per token", "GistgrepGitHubBudgetLow");
		alerts.put("a token answering 401", "GistgrepGitHubTokenRefused");
		alerts.put("webhook failure ratio", "GistgrepWebhookFailureRatioHigh");
		alerts.put("no worker consuming while the scan queue grows", "GistgrepScanQueueNotConsumed");
		return alerts;
	}

	private static List<Map<String, Object>> rules() {
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Object group : list(RepositoryFiles.yaml("observe/prometheus/alerts.yml").get("groups"))) {
			for (Object rule : list(map(group).get("rules"))) {
				rules.add(map(rule));
			}
		}
		return rules;
	}

	private static Map<String, Map<String, Object>> dataSources() {
		Map<String, Map<String, Object>> sources = new LinkedHashMap<>();
		for (Object source : list(
				RepositoryFiles.yaml("observe/grafana/provisioning/datasources/datasources.yml").get("datasources"))) {
			sources.put((String) map(source).get("uid"), map(source));
		}
		return sources;
	}

	private static Map<String, Map<String, Object>> dashboards() {
		Map<String, Map<String, Object>> dashboards = new LinkedHashMap<>();
		try (Stream<Path> files = Files.list(RepositoryFiles.path("observe/grafana/dashboards"))) {
			for (Path file : files.sorted().toList()) {
				Map<String, Object> dashboard = RepositoryFiles
					.yaml("observe/grafana/dashboards/" + file.getFileName());
				dashboards.put((String) dashboard.get("uid"), dashboard);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return dashboards;
	}

	private static List<String> queries(Map<String, Object> dashboard) {
		List<String> queries = new ArrayList<>();
		for (Object panel : list(dashboard.get("panels"))) {
			for (Object target : list(map(panel).get("targets"))) {
				Object query = (map(target).containsKey("expr")) ? map(target).get("expr") : map(target).get("rawSql");
				queries.add((String) query);
			}
		}
		return queries;
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		return path != null && Stream.of(path.split(File.pathSeparator))
			.anyMatch((directory) -> new File(directory, command).canExecute());
	}

	static String run(File directory, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(directory).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output.strip();
	}

}
