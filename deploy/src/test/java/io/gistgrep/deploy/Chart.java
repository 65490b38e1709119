package io.gistgrep.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import static io.gistgrep.deploy.RepositoryFiles.at;
import static io.gistgrep.deploy.RepositoryFiles.list;
import static io.gistgrep.deploy.RepositoryFiles.map;

/**
 * The chart rendered by helm-java's bundled Helm, as parsed manifests.
 */
final class Chart {

	static final String RELEASE = "gg";

	private final Map<String, Object> values = new LinkedHashMap<>();

	static Chart withDefaults() {
		return new Chart();
	}

	static Helm helm() {
		return new Helm(RepositoryFiles.path("helm/gistgrep"));
	}

	Chart set(String key, Object value) {
		this.values.put(key, value);
		return this;
	}

	Manifests render() {
		TemplateCommand template = helm().template().withName(RELEASE).withNamespace("gistgrep");
		for (Map.Entry<String, Object> value : this.values.entrySet()) {
			template = template.set(value.getKey(), value.getValue());
		}
		return new Manifests(RepositoryFiles.yamlDocuments(template.call()));
	}

	record Manifests(List<Map<String, Object>> all) {

		List<Map<String, Object>> ofKind(String kind) {
			return this.all.stream().filter((manifest) -> kind.equals(manifest.get("kind"))).toList();
		}

		Optional<Map<String, Object>> find(String kind, String name) {
			return ofKind(kind).stream()
				.filter((manifest) -> name.equals(at(manifest, "metadata", "name")))
				.findFirst();
		}

		Map<String, Object> get(String kind, String name) {
			return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in "
					+ this.all.stream().map((m) -> m.get("kind") + " " + at(m, "metadata", "name")).toList()));
		}

		Map<String, Object> deployment(String component) {
			return get("Deployment", RELEASE + "-gistgrep-" + component);
		}

		static Map<String, Object> podSpec(Map<String, Object> workload) {
			return map(at(workload, "spec", "template", "spec"));
		}

		static List<Map<String, Object>> containers(Map<String, Object> workload) {
			return list(podSpec(workload).get("containers")).stream().map(RepositoryFiles::map).toList();
		}

		static Map<String, Object> container(Map<String, Object> workload) {
			List<Map<String, Object>> containers = containers(workload);
			if (containers.size() != 1) {
				throw new AssertionError("expected one container but found " + containers.size());
			}
			return containers.getFirst();
		}

	}

}
