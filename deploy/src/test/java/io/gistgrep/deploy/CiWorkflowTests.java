package io.gistgrep.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.gistgrep.deploy.RepositoryFiles.at;
import static io.gistgrep.deploy.RepositoryFiles.list;
import static io.gistgrep.deploy.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * .github/workflows/ci.yml, parsed: the jobs, their services, and that publishing happens
 * only from tags, with actions pinned to release tags.
 */
class CiWorkflowTests {

	private static final String ON_A_TAG = "startsWith(github.ref, 'refs/tags/')";

	private static Map<String, Object> workflow;

	@BeforeAll
	static void parse() {
		workflow = RepositoryFiles.yaml(".github/workflows/ci.yml");
	}

	@Test
	void workflowHasTheTestImageAndChartJobs() {
		assertThat(jobs().keySet()).containsExactly("verify", "images", "chart");
		assertThat(job("images").get("needs")).as("images are built from tested code").isEqualTo("verify");
		assertThat(job("chart").get("needs")).as("the chart is published from tested code").isEqualTo("verify");
	}

	@Test
	void everyActionIsPinnedToAReleaseTagNotACommit() {
		List<String> uses = new ArrayList<>();
		jobs().values().forEach((job) -> steps(job).forEach((step) -> {
			if (step.get("uses") != null) {
				uses.add((String) step.get("uses"));
			}
		}));

		assertThat(uses).hasSizeGreaterThan(8)
			.allSatisfy((action) -> assertThat(action).matches("[\\w.-]+/[\\w.-]+(/[\\w./-]+)?@v\\d+(\\.\\d+){0,2}")
				.doesNotContainPattern("@[0-9a-f]{40}"))
			.contains("actions/checkout@v4", "actions/setup-java@v4");
	}

	@Test
	void testsRunOnJdk25AgainstTheServicesOnTheirDefaultPorts() {
		Map<String, Object> verify = job("verify");
		Map<String, Object> setupJava = step(verify, "actions/setup-java");
		assertThat(at(setupJava, "with", "distribution")).isEqualTo("temurin");
		assertThat(String.valueOf(at(setupJava, "with", "java-version"))).isEqualTo("25");
		assertThat(at(setupJava, "with", "cache")).isEqualTo("maven");
		assertThat(runs(verify)).anySatisfy((run) -> assertThat(run).contains("./mvnw").contains("verify"));

		Map<String, Object> services = map(verify.get("services"));
		assertThat((String) at(services, "postgres", "image")).startsWith("postgres:17");
		assertThat((String) at(services, "rabbitmq", "image")).matches("rabbitmq:4.*-management.*");
		assertThat((String) at(services, "redis", "image")).startsWith("redis:");
		assertThat(list(at(services, "postgres", "ports"))).containsExactly("5432:5432");
		assertThat(list(at(services, "rabbitmq", "ports"))).containsExactlyInAnyOrder("5672:5672", "15672:15672");
		assertThat(list(at(services, "redis", "ports"))).containsExactly("6379:6379");
		services.values().forEach((service) -> assertThat((String) at(service, "options")).contains("--health-cmd"));
	}

	@Test
	void testReportsAreUploadedWhenTheBuildFails() {
		Map<String, Object> upload = step(job("verify"), "actions/upload-artifact");

		assertThat(upload.get("if")).isEqualTo("failure()");
		assertThat((String) at(upload, "with", "path")).contains("surefire-reports");
	}

	@Test
	void imagesOfTheThreeAppsArePushedOnlyFromTags() {
		Map<String, Object> images = job("images");
		assertThat(list(at(images, "strategy", "matrix", "app"))).containsExactly("api", "worker", "github-sim");

		Map<String, Object> build = step(images, "docker/build-push-action");
		assertThat(at(build, "with", "target")).isEqualTo("${{ matrix.app }}");
		assertThat(at(build, "with", "push")).isEqualTo("${{ " + ON_A_TAG + " }}");
		assertThat(step(images, "docker/login-action").get("if")).isEqualTo(ON_A_TAG);
	}

	@Test
	void chartIsLintedAndPackagedAlwaysAndPublishedOnlyFromTags() {
		Map<String, Object> chart = job("chart");
		List<String> runs = runs(chart);

		assertThat(String.join("\n", runs)).contains("helm lint").contains("helm package");
		Map<String, Object> publish = steps(chart).stream()
			.filter((step) -> String.valueOf(step.get("run")).contains("helm push"))
			.findFirst()
			.orElseThrow();
		assertThat(publish.get("if")).isEqualTo(ON_A_TAG);
		steps(chart).stream()
			.filter((step) -> step != publish)
			.forEach((step) -> assertThat(String.valueOf(step.get("run"))).doesNotContain("helm push"));
	}

	@Test
	void workflowRunsOnPushesPullRequestsAndVersionTags() {
		// YAML 1.1 reads the key `on` as true.
		Map<String, Object> on = map(workflow.containsKey("on") ? workflow.get("on") : workflow.get(true));

		assertThat(on).containsKeys("push", "pull_request");
		assertThat(list(at(on, "push", "tags"))).containsExactly("v*");
	}

	private static Map<String, Map<String, Object>> jobs() {
		Map<String, Map<String, Object>> jobs = new java.util.LinkedHashMap<>();
		map(workflow.get("jobs")).forEach((name, job) -> jobs.put(name, map(job)));
		return jobs;
	}

	private static Map<String, Object> job(String name) {
		Map<String, Object> job = jobs().get(name);
		assertThat(job).as("job %s", name).isNotNull();
		return job;
	}

	private static List<Map<String, Object>> steps(Map<String, Object> job) {
		return list(job.get("steps")).stream().map(RepositoryFiles::map).toList();
	}

	private static Map<String, Object> step(Map<String, Object> job, String action) {
		return steps(job).stream()
			.filter((step) -> String.valueOf(step.get("uses")).startsWith(action + "@"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no step uses " + action));
	}

	private static List<String> runs(Map<String, Object> job) {
		return steps(job).stream()
			.map((step) -> step.get("run"))
			.filter((run) -> run != null)
			.map(String::valueOf)
			.toList();
	}

}
