package io.gistgrep.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.gistgrep.deploy.RepositoryFiles.at;
import static io.gistgrep.deploy.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile, read statically (no image can be built on the development machines):
 * pinned bases, the user, the ports and the layered jars of each app's target.
 */
class DockerfileTests {

	/**
	 * A Temurin 25 image pinned to a release: {@code eclipse-temurin:25.0.3_9-jre-noble}.
	 */
	private static final Pattern PINNED_TEMURIN_25 = Pattern
		.compile("eclipse-temurin:25\\.\\d+\\.\\d+(\\.\\d+)?_\\d+-(jre|jdk)(-[a-z0-9]+)?");

	private static final Pattern FROM = Pattern.compile("FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?",
			Pattern.CASE_INSENSITIVE);

	private final Map<String, Stage> stages = parse(RepositoryFiles.read("Dockerfile"));

	@Test
	void everyBaseImageIsAPinnedTemurin25() {
		List<String> externalBases = this.stages.values()
			.stream()
			.map(Stage::base)
			.filter((base) -> !this.stages.containsKey(base))
			.toList();

		assertThat(externalBases).isNotEmpty().allSatisfy((base) -> assertThat(base).matches(PINNED_TEMURIN_25));
	}

	@ParameterizedTest
	@CsvSource({ "api, 8080 8081", "worker, 8082", "github-sim, 9090 9091" })
	void eachAppRunsOnAJreAsAnUnprivilegedUserAndExposesItsPorts(String target, String ports) {
		List<Stage> chain = chain(target);

		assertThat(chain.getLast().base()).matches(PINNED_TEMURIN_25).contains("-jre");
		String user = last(chain, "USER");
		assertThat(user).isNotNull().doesNotStartWith("root").doesNotStartWith("0:").isNotEqualTo("0");
		assertThat(user.split(":")[0]).matches("[1-9][0-9]*");
		assertThat(all(chain, "EXPOSE")).containsExactly(ports);
		assertThat(last(chain, "HEALTHCHECK")).contains("healthcheck");
		assertThat(last(chain, "ENTRYPOINT")).startsWith("[\"java\"");
	}

	@ParameterizedTest
	@CsvSource({ "api, gistgrep-api.jar", "worker, gistgrep-worker.jar" })
	void springBootAppsRunFromTheirExtractedLayers(String target, String jar) {
		Stage build = this.stages.get("build");
		String run = String.join("\n", build.all("RUN"));
		assertThat(run).containsPattern("java -Djarmode=tools -jar \\S*/" + Pattern.quote(jar)
				+ " extract --layers --destination /out/" + target + "(\\s|$)");
		assertThat(run).as("a plain jar with lib/, which an AOT cache can hold").doesNotContain("--launcher");

		List<String> copies = this.stages.get(target).all("COPY");
		assertThat(copies).containsExactly("--from=build /out/" + target + "/dependencies/ ./",
				"--from=build /out/" + target + "/spring-boot-loader/ ./",
				"--from=build /out/" + target + "/snapshot-dependencies/ ./",
				"--from=build /out/" + target + "/application/ ./");
		assertThat(last(chain(target), "ENTRYPOINT")).endsWith("\"-jar\", \"" + jar + "\"]");
	}

	@ParameterizedTest
	@CsvSource({ "api, gistgrep-api.jar", "worker, gistgrep-worker.jar" })
	void springBootAppsStartWithAnAotCacheMadeInTheirOwnImage(String target, String jar) {
		Stage stage = this.stages.get(target);
		String training = String.join("\n", stage.all("RUN"));
		assertThat(training).contains("-XX:AOTCacheOutput=/app/app.aot")
			.contains("-Dspring.context.exit=onRefresh")
			.contains("-jar " + jar)
			.as("the training run needs no database")
			.contains("SPRING_FLYWAY_ENABLED=false");
		List<String> instructions = stage.instructions();
		int lastCopy = -1;
		int train = -1;
		for (int i = 0; i < instructions.size(); i++) {
			lastCopy = instructions.get(i).startsWith("COPY ") ? i : lastCopy;
			train = instructions.get(i).contains("AOTCacheOutput") ? i : train;
		}
		assertThat(train).as("trained on the image's own jars").isGreaterThan(lastCopy);
		assertThat(last(chain(target), "ENTRYPOINT")).startsWith("[\"java\", \"-XX:AOTCache=app.aot\"");
	}

	@Test
	void heapFollowsTheContainersMemoryLimit() {
		String env = String.join("\n", this.stages.get("runtime").all("ENV"));

		assertThat(env).contains("JAVA_TOOL_OPTIONS").containsPattern("-XX:MaxRAMPercentage=\\d+");
		assertThat(env).contains("-XX:+ExitOnOutOfMemoryError").contains("-Djava.io.tmpdir=/tmp");
	}

	@Test
	void workerJitStopsAtC1CompilesEarlyCollectsWithSerialAndKeepsTheHeapSettings() {
		String env = String.join("\n", this.stages.get("worker").all("ENV"));

		assertThat(env).contains("JAVA_TOOL_OPTIONS=\"${JAVA_TOOL_OPTIONS} -XX:TieredStopAtLevel=1"
				+ " -XX:CompileThresholdScaling=0.1 -XX:+UseSerialGC\"");
		assertThat(String.join("\n", this.stages.get("api").all("ENV"))).doesNotContain("TieredStopAtLevel")
			.doesNotContain("CompileThresholdScaling")
			.doesNotContain("UseSerialGC");
	}

	@Test
	void healthcheckScriptIsInTheRepository() {
		assertThat(String.join("\n", this.stages.get("runtime").all("COPY"))).contains("docker/healthcheck");
		assertThat(RepositoryFiles.path("docker/healthcheck")).isExecutable();
	}

	@Test
	void composeBuildsTargetsThatExist() {
		Map<String, Object> services = map(RepositoryFiles.yaml("docker-compose.yml").get("services"));
		List<Object> targets = new ArrayList<>();
		services.values().forEach((service) -> {
			Object target = at(service, "build", "target");
			if (target != null) {
				targets.add(target);
			}
		});

		assertThat(targets).containsExactlyInAnyOrder("api", "worker", "github-sim");
		assertThat(this.stages).containsKeys(targets.stream().map(String.class::cast).toArray(String[]::new));
	}

	@Test
	void contextLeavesOutBuildOutputsAndLocalSecrets() {
		assertThat(RepositoryFiles.read(".dockerignore").lines().toList()).contains("**/target", ".env", ".git");
	}

	/**
	 * The stages from the target up to the external image it starts from, the external
	 * base last.
	 */
	private List<Stage> chain(String target) {
		List<Stage> chain = new ArrayList<>();
		Stage stage = this.stages.get(target);
		assertThat(stage).as("stage %s", target).isNotNull();
		while (stage != null) {
			chain.add(stage);
			stage = this.stages.get(stage.base());
		}
		return chain;
	}

	/** The last value of an instruction along a chain (the target first). */
	private static String last(List<Stage> chain, String instruction) {
		for (Stage stage : chain) {
			List<String> values = stage.all(instruction);
			if (!values.isEmpty()) {
				return values.getLast();
			}
		}
		return null;
	}

	private static List<String> all(List<Stage> chain, String instruction) {
		List<String> values = new ArrayList<>();
		for (Stage stage : chain) {
			values.addAll(stage.all(instruction));
		}
		return values;
	}

	private static Map<String, Stage> parse(String dockerfile) {
		Map<String, Stage> stages = new LinkedHashMap<>();
		Stage current = null;
		for (String line : dockerfile.replaceAll("\\\\\\n", " ").split("\n")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			Matcher from = FROM.matcher(trimmed);
			if (from.matches()) {
				String name = (from.group(2) != null) ? from.group(2) : "stage-" + stages.size();
				current = new Stage(from.group(1), new ArrayList<>());
				stages.put(name, current);
				continue;
			}
			assertThat(current).as("instruction before FROM: %s", trimmed).isNotNull();
			current.instructions().add(trimmed.replaceAll("\\s+", " "));
		}
		return stages;
	}

	record Stage(String base, List<String> instructions) {

		List<String> all(String instruction) {
			String prefix = instruction + " ";
			return this.instructions.stream()
				.filter((line) -> line.regionMatches(true, 0, prefix, 0, prefix.length()))
				.map((line) -> line.substring(prefix.length()).strip())
				.toList();
		}

	}

}
