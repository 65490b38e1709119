package io.gistgrep.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Files of the repository, found from the module's directory (Maven runs the tests in
 * {@code deploy/}), and YAML parsed into plain maps and lists.
 */
final class RepositoryFiles {

	/**
	 * The configuration variables of DESIGN.md's table, which Compose and the chart must
	 * both pass to the apps. An issue that adds configuration adds it here too.
	 */
	static final List<String> DESIGN_VARIABLES = List.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
			"SPRING_DATASOURCE_PASSWORD", "SPRING_RABBITMQ_HOST", "SPRING_RABBITMQ_PORT", "SPRING_RABBITMQ_USERNAME",
			"SPRING_RABBITMQ_PASSWORD", "SPRING_RABBITMQ_VIRTUAL_HOST", "SPRING_DATA_REDIS_HOST",
			"SPRING_DATA_REDIS_PORT", "SPRING_DATA_REDIS_DATABASE", "SERVER_PORT", "GISTGREP_GITHUB_API_URL",
			"GISTGREP_GITHUB_TOKENS", "GISTGREP_GITHUB_RAW_HOSTS", "GISTGREP_BOOTSTRAP_API_KEYS",
			"GISTGREP_ADMIN_TOKEN", "GISTGREP_RATE_LIMIT_JOBS_PER_MINUTE", "GISTGREP_RATE_LIMIT_READS_PER_MINUTE",
			"GISTGREP_LEGACY_ANONYMOUS", "GISTGREP_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "GISTGREP_SECRETS_KEY",
			"LOGGING_STRUCTURED_FORMAT_CONSOLE", "GISTGREP_WEBHOOKS_ALLOW_PRIVATE", "GISTGREP_HTTP_MAX_REQUEST_BODY",
			"GISTGREP_CORS_ALLOWED_ORIGINS", "GISTGREP_BROKER_SCAN_QUEUE_MAX_LENGTH", "GISTGREP_BROKER_MANAGEMENT_URL",
			"GISTGREP_OUTBOX_MAX_BACKOFF", "GISTGREP_TRACING_SAMPLING_PROBABILITY", "GISTGREP_TRACING_OTLP_ENDPOINT",
			"GISTGREP_WARMUP_BUDGET");

	/** The variables only the worker reads. */
	static final List<String> WORKER_ONLY_VARIABLES = List.of("GISTGREP_WORKER_CONCURRENCY",
			"GISTGREP_WORKER_SHUTDOWN_GRACE", "GISTGREP_WORKER_SCAN_CONCURRENCY", "GISTGREP_WORKER_SCAN_BATCH_SIZE",
			"GISTGREP_WORKER_SCAN_BATCH_WAIT", "GISTGREP_WORKER_SCAN_WINDOW_PER_JOB",
			"GISTGREP_WORKER_SCAN_START_WINDOW_PER_JOB", "GISTGREP_WORKER_DB_POOL_SIZE",
			"GISTGREP_MAX_RUNNING_JOBS_PER_TENANT", "GISTGREP_GITHUB_SECONDARY_LIMIT_MAX_TRIES",
			"GISTGREP_GITHUB_SECONDARY_LIMIT_MIN_WAIT", "GISTGREP_GITHUB_RAW_RATE",
			"GISTGREP_GITHUB_RAW_MAX_CONCURRENCY", "GISTGREP_GITHUB_RAW_COOL_DOWN", "GISTGREP_GITHUB_RAW_MAX_COOL_DOWN",
			"GISTGREP_LISTING_MAX_PASSES", "GISTGREP_LISTING_PAGES_PER_TASK", "GISTGREP_REAPER_INTERVAL",
			"GISTGREP_REAPER_QUEUED_AFTER", "GISTGREP_REAPER_STALLED_AFTER");

	/**
	 * The variables only the api reads (the worker's management port is its server port).
	 */
	static final List<String> API_ONLY_VARIABLES = List.of("MANAGEMENT_SERVER_PORT");

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private RepositoryFiles() {
	}

	static Path path(String relative) {
		Path path = ROOT.resolve(relative);
		if (!Files.exists(path)) {
			throw new IllegalStateException(path + " does not exist (tests run from the deploy module's directory)");
		}
		return path;
	}

	static String read(String relative) {
		try {
			return Files.readString(path(relative));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Map<String, Object> yaml(String relative) {
		return yamlDocuments(read(relative)).getFirst();
	}

	static List<Map<String, Object>> yamlDocuments(String text) {
		LoaderOptions options = new LoaderOptions();
		options.setMaxAliasesForCollections(100);
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml(options).loadAll(text)) {
			if (document != null) {
				documents.add(map(document));
			}
		}
		return documents;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		if (!(value instanceof Map)) {
			throw new AssertionError("expected a mapping but found " + value);
		}
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		if (!(value instanceof List)) {
			throw new AssertionError("expected a list but found " + value);
		}
		return (List<Object>) value;
	}

	/** The value at a path of keys, or {@code null} where the path ends early. */
	static Object at(Object root, String... keys) {
		Object current = root;
		for (String key : keys) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(key);
		}
		return current;
	}

}
