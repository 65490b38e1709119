package io.gistgrep.deploy;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.gistgrep.deploy.RepositoryFiles.at;
import static io.gistgrep.deploy.RepositoryFiles.list;
import static io.gistgrep.deploy.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, parsed: the services, their health and order, scaling, profiles,
 * and that configuration comes from the environment without secrets in the file.
 */
class DockerComposeTests {

	private static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|PASS$|TOKEN|SECRET|_KEY$|_KEYS$");

	/**
	 * A reference to a variable with no default, or an empty one: {@code ${NAME}},
	 * {@code ${NAME:-}}.
	 */
	private static final Pattern BARE_REFERENCE = Pattern.compile("\\$\\{[A-Z0-9_]+(:?-)?}");

	private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z0-9_]+)");

	private static Map<String, Object> compose;

	@BeforeAll
	static void parse() {
		compose = RepositoryFiles.yaml("docker-compose.yml");
	}

	@Test
	void stackHasEveryService() {
		assertThat(services().keySet()).containsExactlyInAnyOrder("postgres", "rabbitmq", "redis", "api", "worker",
				"github-sim", "prometheus", "grafana");
	}

	@Test
	void postgresIsVersion17OnANamedVolume() {
		Map<String, Object> postgres = service("postgres");

		assertThat((String) postgres.get("image")).matches("postgres:17([.-].*)?");
		String volume = (String) list(postgres.get("volumes")).getFirst();
		assertThat(volume).endsWith(":/var/lib/postgresql/data");
		String name = volume.substring(0, volume.indexOf(':'));
		assertThat(map(compose.get("volumes"))).containsKey(name);
	}

	@Test
	void rabbitmqIsVersion4WithTheManagementPlugin() {
		assertThat((String) service("rabbitmq").get("image")).matches("rabbitmq:4[.0-9]*-management(-alpine)?");
	}

	@Test
	void everyServiceHasAHealthcheck() {
		services().forEach((name, service) -> {
			Object test = at(service, "healthcheck", "test");
			assertThat(test).as("healthcheck of %s", name).isNotNull();
			assertThat(test.toString()).as("healthcheck of %s", name).isNotBlank().doesNotContain("NONE");
		});
	}

	@Test
	void appsProbeTheirOwnReadinessEndpoints() {
		assertThat(list(at(service("api"), "healthcheck", "test"))).contains("8081", "/actuator/health/readiness");
		assertThat(list(at(service("worker"), "healthcheck", "test"))).contains("8082", "/actuator/health/readiness");
	}

	@Test
	void apiAndWorkerStartOnlyOnceTheBackingServicesAreHealthy() {
		for (String app : List.of("api", "worker")) {
			Map<String, Object> dependsOn = map(service(app).get("depends_on"));
			assertThat(dependsOn.keySet()).as(app).containsExactlyInAnyOrder("postgres", "rabbitmq", "redis");
			dependsOn.values()
				.forEach((condition) -> assertThat(at(condition, "condition")).as(app).isEqualTo("service_healthy"));
		}
	}

	@Test
	void workerScalesWithoutAFixedNameOrHostPort() {
		Map<String, Object> worker = service("worker");

		assertThat(worker).doesNotContainKeys("container_name", "ports", "hostname");
		assertThat(at(worker, "build", "target")).isEqualTo("worker");
	}

	@Test
	void simulatorIsADemoAndMonitoringAnObserveProfile() {
		assertThat(list(service("github-sim").get("profiles"))).containsExactly("demo");
		assertThat(list(service("prometheus").get("profiles"))).containsExactly("observe");
		assertThat(list(service("grafana").get("profiles"))).containsExactly("observe");
		for (String core : List.of("postgres", "rabbitmq", "redis", "api", "worker")) {
			assertThat(service(core)).as(core).doesNotContainKey("profiles");
		}
	}

	@Test
	void monitoringProvisioningIsMountedFromTheRepository() {
		for (String name : List.of("prometheus", "grafana")) {
			for (Object volume : list(service(name).get("volumes"))) {
				String source = ((String) volume).substring(0, ((String) volume).indexOf(':'));
				assertThat(source).as(name).startsWith("./");
				assertThat(RepositoryFiles.path(source.substring(2))).as(name).exists();
			}
		}
		assertThat(RepositoryFiles.path("observe/grafana/provisioning/datasources"))
			.isDirectoryContaining("glob:**.yml");
	}

	@Test
	void grafanaStartsOnceItsDataSourcesAreHealthy() {
		assertThat(map(service("grafana").get("depends_on"))).containsOnlyKeys("prometheus", "postgres");
		for (Object dependency : map(service("grafana").get("depends_on")).values()) {
			assertThat(map(dependency)).containsEntry("condition", "service_healthy");
		}
	}

	@Test
	void dockerComposeAcceptsTheFileWithAndWithoutTheObserveProfile() throws Exception {
		Assumptions.assumeTrue(
				Stream.of(System.getenv("PATH").split(File.pathSeparator))
					.anyMatch((directory) -> new File(directory, "docker-compose").canExecute()),
				"docker-compose (Debian: apt-get install docker-compose) is not installed");
		File root = RepositoryFiles.path("docker-compose.yml").toFile().getParentFile();

		ObserveFilesTests.run(root, "docker-compose", "-f", "docker-compose.yml", "config", "-q");
		ObserveFilesTests.run(root, "docker-compose", "-f", "docker-compose.yml", "--profile", "observe", "config",
				"-q");
		String observe = ObserveFilesTests.run(root, "docker-compose", "-f", "docker-compose.yml", "--profile",
				"observe", "config", "--services");

		assertThat(observe.lines()).contains("prometheus", "grafana", "api", "worker");
	}

	@Test
	void prometheusScrapesTheApiAndEveryWorker() {
		Map<String, Object> prometheus = RepositoryFiles.yaml("observe/prometheus/prometheus.yml");
		Map<String, Map<String, Object>> jobs = new java.util.HashMap<>();
		for (Object job : list(prometheus.get("scrape_configs"))) {
			jobs.put((String) map(job).get("job_name"), map(job));
		}

		assertThat(jobs.get("gistgrep-api")).containsEntry("metrics_path", "/actuator/prometheus");
		assertThat(list(at(list(jobs.get("gistgrep-api").get("static_configs")).getFirst(), "targets")))
			.containsExactly("api:8081");
		Map<String, Object> workers = map(list(jobs.get("gistgrep-worker").get("dns_sd_configs")).getFirst());
		assertThat(jobs.get("gistgrep-worker")).containsEntry("metrics_path", "/actuator/prometheus");
		assertThat(list(workers.get("names"))).containsExactly("worker");
		assertThat(workers).containsEntry("port", 8082);
	}

	@Test
	void everyDesignVariableIsWiredIntoTheApps() {
		Map<String, Object> api = map(service("api").get("environment"));
		Map<String, Object> worker = map(service("worker").get("environment"));

		assertThat(api).containsKeys(RepositoryFiles.DESIGN_VARIABLES.toArray(String[]::new))
			.containsKeys(RepositoryFiles.API_ONLY_VARIABLES.toArray(String[]::new))
			.containsEntry("SERVER_PORT", "8080")
			.containsEntry("MANAGEMENT_SERVER_PORT", "8081");
		assertThat(worker).containsKeys(RepositoryFiles.DESIGN_VARIABLES.toArray(String[]::new))
			.containsKeys(RepositoryFiles.WORKER_ONLY_VARIABLES.toArray(String[]::new))
			.containsEntry("SERVER_PORT", "8082");
		assertThat(api.get("SPRING_DATASOURCE_URL")).isEqualTo("jdbc:postgresql://postgres:5432/gistgrep");
		assertThat(api.get("SPRING_RABBITMQ_HOST")).isEqualTo("rabbitmq");
		assertThat(api.get("SPRING_DATA_REDIS_HOST")).isEqualTo("redis");
	}

	@Test
	void noSecretIsWrittenIntoTheFile() {
		Set<String> checked = new TreeSet<>();
		services().forEach((name, service) -> {
			Object environment = service.get("environment");
			if (environment == null) {
				return;
			}
			map(environment).forEach((key, value) -> {
				if (SECRET_NAME.matcher(key).find()) {
					checked.add(key);
					assertThat(String.valueOf(value)).as("%s of %s", key, name).matches(BARE_REFERENCE);
				}
			});
		});
		assertThat(checked).contains("SPRING_DATASOURCE_PASSWORD", "SPRING_RABBITMQ_PASSWORD", "GISTGREP_GITHUB_TOKENS",
				"GISTGREP_ADMIN_TOKEN", "GISTGREP_SECRETS_KEY", "GISTGREP_BOOTSTRAP_API_KEYS", "POSTGRES_PASSWORD",
				"RABBITMQ_DEFAULT_PASS", "GF_SECURITY_ADMIN_PASSWORD", "GISTGREP_GRAFANA_DB_PASSWORD");
	}

	@Test
	void everyVariableTheFileReadsIsInTheEnvExample() {
		Set<String> referenced = new TreeSet<>();
		Matcher matcher = REFERENCE.matcher(RepositoryFiles.read("docker-compose.yml"));
		while (matcher.find()) {
			referenced.add(matcher.group(1));
		}
		Set<String> example = new TreeSet<>();
		for (String line : RepositoryFiles.read(".env.example").split("\n")) {
			if (line.matches("[A-Z0-9_]+=.*")) {
				example.add(line.substring(0, line.indexOf('=')));
			}
		}

		assertThat(referenced).hasSizeGreaterThan(20);
		assertThat(example).containsAll(referenced);
	}

	@Test
	void appsRunWithAReadOnlyRootAndAWritableTmp() {
		for (String app : List.of("api", "worker", "github-sim")) {
			Map<String, Object> service = service(app);
			assertThat(service.get("read_only")).as(app).isEqualTo(true);
			assertThat(list(service.get("tmpfs"))).as(app).containsExactly("/tmp");
			assertThat(list(service.get("cap_drop"))).as(app).containsExactly("ALL");
		}
	}

	private static Map<String, Map<String, Object>> services() {
		Map<String, Map<String, Object>> services = new java.util.LinkedHashMap<>();
		map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
		return services;
	}

	private static Map<String, Object> service(String name) {
		return map(map(compose.get("services")).get(name));
	}

}
