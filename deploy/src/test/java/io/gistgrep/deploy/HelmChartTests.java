package io.gistgrep.deploy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.marcnuri.helm.LintResult;
import io.gistgrep.deploy.Chart.Manifests;
import org.junit.jupiter.api.Test;

import static io.gistgrep.deploy.Chart.Manifests.container;
import static io.gistgrep.deploy.Chart.Manifests.containers;
import static io.gistgrep.deploy.Chart.Manifests.podSpec;
import static io.gistgrep.deploy.RepositoryFiles.at;
import static io.gistgrep.deploy.RepositoryFiles.list;
import static io.gistgrep.deploy.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The Helm chart, linted and rendered by helm-java with the values operators turn.
 */
class HelmChartTests {

	private static final String WORKER = Chart.RELEASE + "-gistgrep-worker";

	@Test
	void chartPassesStrictLint() {
		LintResult result = Chart.helm().lint().strict().call();

		assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
	}

	@Test
	void defaultValuesRenderTwoWorkersAndNoAutoscaler() {
		Manifests manifests = Chart.withDefaults().render();

		assertThat(at(manifests.deployment("worker"), "spec", "replicas")).isEqualTo(2);
		assertThat(at(manifests.deployment("api"), "spec", "replicas")).isEqualTo(2);
		assertThat(manifests.ofKind("ScaledObject")).isEmpty();
		assertThat(manifests.ofKind("HorizontalPodAutoscaler")).isEmpty();
		assertThat(manifests.ofKind("Ingress")).isEmpty();
		assertThat(manifests.ofKind("ServiceMonitor")).isEmpty();
		assertThat(manifests.ofKind("PodDisruptionBudget")).hasSize(2);
	}

	@Test
	void workerReplicaCountSetsTheWorkerReplicas() {
		Manifests manifests = Chart.withDefaults().set("worker.replicaCount", 5).render();

		assertThat(at(manifests.deployment("worker"), "spec", "replicas")).isEqualTo(5);
		assertThat(at(manifests.deployment("api"), "spec", "replicas")).isEqualTo(2);
	}

	@Test
	void kedaScalesTheWorkerOnTheScanQueueLength() {
		Manifests manifests = Chart.withDefaults()
			.set("worker.autoscaling.keda.enabled", true)
			.set("worker.autoscaling.keda.maxReplicaCount", 20)
			.set("secrets.rabbitmqPassword", "s3cr/t")
			.render();

		Map<String, Object> scaledObject = manifests.get("ScaledObject", WORKER);
		assertThat(at(scaledObject, "spec", "scaleTargetRef", "name")).isEqualTo(WORKER);
		assertThat(at(scaledObject, "spec", "minReplicaCount")).isEqualTo(1);
		assertThat(at(scaledObject, "spec", "maxReplicaCount")).isEqualTo(20);
		List<Object> triggers = list(at(scaledObject, "spec", "triggers"));
		assertThat(triggers).hasSize(1);
		Map<String, Object> trigger = map(triggers.getFirst());
		assertThat(trigger.get("type")).isEqualTo("rabbitmq");
		assertThat(at(trigger, "metadata", "queueName")).isEqualTo("gistgrep.gists.scan");
		assertThat(at(trigger, "metadata", "mode")).isEqualTo("QueueLength");
		assertThat(at(trigger, "metadata", "value")).isEqualTo("50");
		assertThat(at(trigger, "metadata", "protocol")).isEqualTo("http");

		String authentication = (String) at(trigger, "authenticationRef", "name");
		Map<String, Object> secretRef = map(
				list(at(manifests.get("TriggerAuthentication", authentication), "spec", "secretTargetRef")).getFirst());
		assertThat(secretRef.get("parameter")).isEqualTo("host");
		Map<String, Object> secret = manifests.get("Secret", (String) secretRef.get("name"));
		String host = decode(map(secret.get("data")).get(secretRef.get("key")));
		assertThat(host).isEqualTo("http://guest:s3cr%2Ft@rabbitmq:15672/%2F");

		assertThat(at(manifests.deployment("worker"), "spec")).asInstanceOf(MAP).doesNotContainKey("replicas");
		assertThat(manifests.ofKind("HorizontalPodAutoscaler")).isEmpty();
	}

	@Test
	void hpaScalesTheWorkerOnCpu() {
		Manifests manifests = Chart.withDefaults().set("worker.autoscaling.hpa.enabled", true).render();

		Map<String, Object> hpa = manifests.get("HorizontalPodAutoscaler", WORKER);
		assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
		assertThat(at(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
		assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(WORKER);
		Map<String, Object> metric = map(list(at(hpa, "spec", "metrics")).getFirst());
		assertThat(at(metric, "resource", "name")).isEqualTo("cpu");
		assertThat(at(metric, "resource", "target", "averageUtilization")).isEqualTo(70);

		assertThat(at(manifests.deployment("worker"), "spec")).asInstanceOf(MAP).doesNotContainKey("replicas");
		assertThat(manifests.ofKind("ScaledObject")).isEmpty();
	}

	@Test
	void bothAutoscalersTogetherFailToRender() {
		Chart chart = Chart.withDefaults()
			.set("worker.autoscaling.keda.enabled", true)
			.set("worker.autoscaling.hpa.enabled", true);

		assertThatException().isThrownBy(chart::render).withMessageContaining("choose one autoscaler for the worker");
	}

	@Test
	void aValueOfTheWrongTypeFailsToRender() {
		Chart chart = Chart.withDefaults().set("worker.replicaCount", "five");

		assertThatException().isThrownBy(chart::render).withMessageContaining("/worker/replicaCount");
	}

	@Test
	void aMistypedKeyFailsToRender() {
		Chart chart = Chart.withDefaults().set("worker.replicas", 3);

		assertThatException().isThrownBy(chart::render).withMessageContaining("replicas");
	}

	@Test
	void existingSecretReplacesTheChartsSecret() {
		Manifests manifests = Chart.withDefaults()
			.set("secrets.existingSecret", "gistgrep-credentials")
			.set("secrets.datasourcePassword", "ignored")
			.set("worker.autoscaling.keda.enabled", true)
			.render();

		assertThat(manifests.ofKind("Secret")).isEmpty();
		for (String component : List.of("api", "worker")) {
			assertThat(secretRefs(container(manifests.deployment(component)))).containsExactly("gistgrep-credentials");
		}
		Map<String, Object> secretRef = map(
				list(at(manifests.get("TriggerAuthentication", WORKER), "spec", "secretTargetRef")).getFirst());
		assertThat(secretRef.get("name")).isEqualTo("gistgrep-credentials");
		assertThat(secretRef.get("key")).isEqualTo("KEDA_RABBITMQ_HOST");
	}

	@Test
	void chartMadeSecretHoldsOnlyTheCredentialsThatWereGiven() {
		Manifests manifests = Chart.withDefaults().set("secrets.githubTokens", "ghp_one,ghp_two").render();

		Map<String, Object> secret = manifests.get("Secret", Chart.RELEASE + "-gistgrep");
		Map<String, Object> data = map(secret.get("data"));
		assertThat(decode(data.get("GISTGREP_GITHUB_TOKENS"))).isEqualTo("ghp_one,ghp_two");
		assertThat(data).doesNotContainKeys("SPRING_DATASOURCE_PASSWORD", "GISTGREP_SECRETS_KEY", "KEDA_RABBITMQ_HOST");
		for (String component : List.of("api", "worker")) {
			assertThat(secretRefs(container(manifests.deployment(component))))
				.containsExactly(Chart.RELEASE + "-gistgrep");
		}
	}

	@Test
	void theSecretsKeyAndRetiredKeysReachBothAppsThroughTheSecret() {
		Manifests manifests = Chart.withDefaults()
			.set("secrets.secretsKey", "bmV3")
			.set("secrets.secretsPreviousKeys", "b2xk")
			.render();

		Map<String, Object> data = map(manifests.get("Secret", Chart.RELEASE + "-gistgrep").get("data"));
		assertThat(decode(data.get("GISTGREP_SECRETS_KEY"))).isEqualTo("bmV3");
		assertThat(decode(data.get("GISTGREP_SECRETS_PREVIOUS_KEYS"))).isEqualTo("b2xk");
		for (String component : List.of("api", "worker")) {
			assertThat(secretRefs(container(manifests.deployment(component))))
				.containsExactly(Chart.RELEASE + "-gistgrep");
		}
	}

	@Test
	void everyDesignVariableReachesTheApps() {
		Chart chart = Chart.withDefaults();
		for (String secret : List.of("datasourcePassword", "rabbitmqPassword", "githubTokens", "bootstrapApiKeys",
				"adminToken", "secretsKey")) {
			chart.set("secrets." + secret, "x");
		}
		Manifests manifests = chart.render();

		Set<String> api = environment(manifests, manifests.deployment("api"));
		Set<String> worker = environment(manifests, manifests.deployment("worker"));
		assertThat(api).containsAll(RepositoryFiles.DESIGN_VARIABLES).containsAll(RepositoryFiles.API_ONLY_VARIABLES);
		assertThat(worker).containsAll(RepositoryFiles.DESIGN_VARIABLES)
			.containsAll(RepositoryFiles.WORKER_ONLY_VARIABLES);
	}

	@Test
	void probesUseNamedPortsOfTheirOwnContainer() {
		Manifests manifests = Chart.withDefaults().render();

		for (String component : List.of("api", "worker")) {
			Map<String, Object> container = container(manifests.deployment(component));
			Set<Object> portNames = new HashSet<>();
			for (Object port : list(container.get("ports"))) {
				portNames.add(map(port).get("name"));
			}
			assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
			assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
			assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
			for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
				Object port = at(container, probe, "httpGet", "port");
				assertThat(port).as("%s %s port", component, probe).isInstanceOf(String.class).isEqualTo("management");
				assertThat(portNames).as("%s ports", component).contains(port);
			}
		}
		assertThat(managementPort(manifests.deployment("api"))).isEqualTo(8081);
		assertThat(managementPort(manifests.deployment("worker"))).isEqualTo(8082);
	}

	@Test
	void selectorsNeverCarryTheChartLabelAndSelectTheirPods() {
		Manifests manifests = Chart.withDefaults()
			.set("worker.autoscaling.keda.enabled", true)
			.set("serviceMonitor.enabled", true)
			.set("api.ingress.enabled", true)
			.render();

		List<Map<String, Object>> selectors = new ArrayList<>();
		for (Map<String, Object> manifest : manifests.all()) {
			Object selector = switch ((String) manifest.get("kind")) {
				case "Deployment", "PodDisruptionBudget", "ServiceMonitor" ->
					at(manifest, "spec", "selector", "matchLabels");
				case "Service" -> at(manifest, "spec", "selector");
				default -> null;
			};
			if (selector != null) {
				selectors.add(map(selector));
			}
		}
		assertThat(selectors).hasSize(2 + 2 + 2 + 2);
		assertThat(selectors).allSatisfy((selector) -> assertThat(selector).doesNotContainKey("helm.sh/chart")
			.doesNotContainKey("app.kubernetes.io/version")
			.containsKey("app.kubernetes.io/component"));
		for (String component : List.of("api", "worker")) {
			Map<String, Object> deployment = manifests.deployment(component);
			Map<String, Object> podLabels = map(at(deployment, "spec", "template", "metadata", "labels"));
			assertThat(podLabels).containsAllEntriesOf(map(at(deployment, "spec", "selector", "matchLabels")))
				.containsEntry("app.kubernetes.io/component", component);
		}
	}

	@Test
	void everyContainerRunsAsNonRootWithAReadOnlyRootAndNoCapabilities() {
		Manifests manifests = Chart.withDefaults().render();

		List<Map<String, Object>> workloads = manifests.ofKind("Deployment");
		assertThat(workloads).hasSize(2);
		for (Map<String, Object> workload : workloads) {
			Map<String, Object> pod = podSpec(workload);
			assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
			assertThat(at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
			assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
			for (Map<String, Object> container : containers(workload)) {
				Map<String, Object> security = map(container.get("securityContext"));
				assertThat(security.get("runAsNonRoot")).isEqualTo(true);
				assertThat((Integer) security.get("runAsUser")).isPositive();
				assertThat(security.get("readOnlyRootFilesystem")).isEqualTo(true);
				assertThat(security.get("allowPrivilegeEscalation")).isEqualTo(false);
				assertThat(list(at(security, "capabilities", "drop"))).containsExactly("ALL");
				assertThat(at(security, "seccompProfile", "type")).isEqualTo("RuntimeDefault");
				assertThat(at(container, "resources", "requests", "memory")).isNotNull();
				assertThat(at(container, "resources", "limits", "memory")).isNotNull();
				Map<String, Object> tmp = map(list(container.get("volumeMounts")).getFirst());
				assertThat(tmp).containsEntry("mountPath", "/tmp");
				Map<String, Object> volume = map(list(pod.get("volumes")).getFirst());
				assertThat(volume).containsEntry("name", tmp.get("name")).containsKey("emptyDir");
			}
		}
	}

	@Test
	void workerGracePeriodCoversItsGracefulShutdown() {
		Map<String, Object> worker = Chart.withDefaults()
			.set("worker.gracefulShutdownSeconds", 120)
			.render()
			.deployment("worker");

		assertThat(env(container(worker), "GISTGREP_WORKER_SHUTDOWN_GRACE")).isEqualTo("120s");
		assertThat(podSpec(worker).get("terminationGracePeriodSeconds")).isEqualTo(135);
	}

	@Test
	void aConfigurationChangeRollsThePods() {
		Object before = checksum(Chart.withDefaults().render());
		Object after = checksum(
				Chart.withDefaults().set("config.github.apiUrl", "https://github.example.com/api/v3").render());

		assertThat(before).isNotNull();
		assertThat(after).isNotNull().isNotEqualTo(before);
	}

	private static Object checksum(Manifests manifests) {
		return at(manifests.deployment("worker"), "spec", "template", "metadata", "annotations", "checksum/config");
	}

	private static Object managementPort(Map<String, Object> deployment) {
		return list(container(deployment).get("ports")).stream()
			.map(RepositoryFiles::map)
			.filter((port) -> "management".equals(port.get("name")))
			.findFirst()
			.orElseThrow()
			.get("containerPort");
	}

	private static List<Object> secretRefs(Map<String, Object> container) {
		return list(container.get("envFrom")).stream()
			.map((source) -> at(source, "secretRef", "name"))
			.filter((name) -> name != null)
			.toList();
	}

	private static Object env(Map<String, Object> container, String name) {
		return list(container.get("env")).stream()
			.map(RepositoryFiles::map)
			.filter((variable) -> name.equals(variable.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " in " + container.get("env")))
			.get("value");
	}

	/**
	 * Every variable name the container gets: env, and the keys of the ConfigMaps and
	 * Secrets it reads.
	 */
	private static Set<String> environment(Manifests manifests, Map<String, Object> deployment) {
		Map<String, Object> container = container(deployment);
		Set<String> names = new HashSet<>();
		for (Object variable : list(container.get("env"))) {
			names.add((String) map(variable).get("name"));
		}
		for (Object source : list(container.get("envFrom"))) {
			Object configMap = at(source, "configMapRef", "name");
			if (configMap != null) {
				names.addAll(map(manifests.get("ConfigMap", (String) configMap).get("data")).keySet());
			}
			Object secret = at(source, "secretRef", "name");
			if (secret != null) {
				names.addAll(map(manifests.get("Secret", (String) secret).get("data")).keySet());
			}
		}
		return names;
	}

	private static String decode(Object base64) {
		return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.UTF_8);
	}

}
