package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The processes of a run: github-sim, the api and the workers, started as
 * {@code java -jar} with the environment a deployment would give them, pointed at the
 * bench's own database, virtual host and Redis database. Every process started is kept
 * for the report, restarted ones too; {@link #stopAll} stops those still running.
 */
final class Stack {

	/**
	 * What the apps get unless the caller's environment sets it (so a run can tune them).
	 */
	static final Map<String, String> TUNABLE_DEFAULTS = tunableDefaults();

	/**
	 * The JVM options the worker's image adds to its {@code JAVA_TOOL_OPTIONS} (see the
	 * Dockerfile's worker stage), so that the bench measures the worker as deployed; the
	 * options of the variables below come after them, and so win.
	 */
	static final List<String> WORKER_IMAGE_OPTIONS = List.of("-XX:TieredStopAtLevel=1",
			"-XX:CompileThresholdScaling=0.1", "-XX:+UseSerialGC");

	/** JVM options for the api and the workers. */
	static final String JAVA_OPTS = "BENCH_JAVA_OPTS";

	/** JVM options for the api alone. */
	static final String API_JAVA_OPTS = "BENCH_API_JAVA_OPTS";

	/**
	 * JVM options for the workers alone ({@code -XX:TieredStopAtLevel=4} gives them C2
	 * back).
	 */
	static final String WORKER_JAVA_OPTS = "BENCH_WORKER_JAVA_OPTS";

	/** JVM options for github-sim (to profile it, or to log its JIT). */
	static final String SIM_JAVA_OPTS = "BENCH_SIM_JAVA_OPTS";

	/**
	 * Another api jar to run instead of this build's, for an A/B of two builds in one
	 * session (say, {@code git worktree add} of the commit before, built there).
	 */
	static final String API_JAR = "BENCH_API_JAR";

	/** Another worker jar to run instead of this build's (see {@link #API_JAR}). */
	static final String WORKER_JAR = "BENCH_WORKER_JAR";

	private final Settings settings;

	private final Http http;

	private final String apiKey;

	private final String secretsKey;

	private final Path logDir;

	private final Path pidFile;

	private final List<AppProcess> all = new ArrayList<>();

	private @Nullable AppProcess api;

	private @Nullable AppProcess sim;

	private final List<AppProcess> workers = new ArrayList<>();

	private int generation;

	Stack(Settings settings, Http http, String apiKey, String secretsKey) {
		this.settings = settings;
		this.http = http;
		this.apiKey = apiKey;
		this.secretsKey = secretsKey;
		this.logDir = settings.runDir().resolve("logs");
		this.pidFile = settings.runDir().resolve("pids");
		this.api = null;
	}

	private static Map<String, String> tunableDefaults() {
		Map<String, String> defaults = new LinkedHashMap<>();
		// The content host's budget defaults to 50 requests/s, polite towards real
		// GitHub;
		// against the local simulator it would be the only thing measured.
		defaults.put("GISTGREP_GITHUB_RAW_RATE", "100000");
		defaults.put("GISTGREP_GITHUB_RAW_MAX_CONCURRENCY", "256");
		defaults.put("GISTGREP_RATE_LIMIT_READS_PER_MINUTE", "0");
		defaults.put("GISTGREP_RATE_LIMIT_JOBS_PER_MINUTE", "0");
		defaults.put("GISTGREP_MAX_RUNNING_JOBS_PER_TENANT", "1000");
		return defaults;
	}

	/** The settings given to the apps, for the results file. */
	Map<String, String> appSettings() {
		Map<String, String> shown = new LinkedHashMap<>();
		TUNABLE_DEFAULTS.forEach((name, value) -> shown.put(name, System.getenv().getOrDefault(name, value)));
		System.getenv().forEach((name, value) -> {
			if (name.startsWith("GISTGREP_") && !name.equals("GISTGREP_SECRETS_KEY")
					&& !name.equals("GISTGREP_BOOTSTRAP_API_KEYS")) {
				shown.putIfAbsent(name, value);
			}
		});
		shown.put("JVM options of the workers, as their image's", String.join(" ", WORKER_IMAGE_OPTIONS));
		for (String name : List.of(JAVA_OPTS, API_JAVA_OPTS, WORKER_JAVA_OPTS, SIM_JAVA_OPTS)) {
			shown.put(name, options(name).isEmpty() ? "(none)" : String.join(" ", options(name)));
		}
		for (String name : List.of(API_JAR, WORKER_JAR)) {
			otherJar(name).ifPresent((jar) -> shown.put(name, jar));
		}
		return shown;
	}

	private Map<String, String> appEnvironment() {
		Map<String, String> environment = new LinkedHashMap<>();
		TUNABLE_DEFAULTS.forEach((name, value) -> environment.put(name, System.getenv().getOrDefault(name, value)));
		environment.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/" + this.settings.database());
		environment.put("SPRING_DATASOURCE_USERNAME", "postgres");
		environment.put("SPRING_RABBITMQ_HOST", "127.0.0.1");
		environment.put("SPRING_RABBITMQ_VIRTUAL_HOST", this.settings.vhost());
		environment.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
		environment.put("SPRING_DATA_REDIS_DATABASE", Integer.toString(this.settings.redisDb()));
		environment.put("GISTGREP_SECRETS_KEY", this.secretsKey);
		environment.put("GISTGREP_GITHUB_API_URL", this.settings.simUrl());
		environment.put("GISTGREP_GITHUB_RAW_HOSTS", "127.0.0.2");
		environment.put("GISTGREP_GITHUB_GIT_HOSTS", "127.0.0.2");
		environment.put("GISTGREP_GITHUB_TOKENS", "bench-token");
		return environment;
	}

	/**
	 * The content host's cap on raw requests in flight that the apps get
	 * ({@code GISTGREP_GITHUB_RAW_MAX_CONCURRENCY}: the caller's, or the bench's
	 * default).
	 */
	static int rawMaxConcurrency() {
		String name = "GISTGREP_GITHUB_RAW_MAX_CONCURRENCY";
		return Integer.parseInt(System.getenv().getOrDefault(name, TUNABLE_DEFAULTS.get(name)).strip());
	}

	/** The jar that environment variable {@code name} names, or this build's. */
	private String jar(String name, String built) {
		return otherJar(name).orElseGet(() -> this.settings.jars().resolve(built).toString());
	}

	/** The jar that environment variable {@code name} names, if any. */
	private static Optional<String> otherJar(String name) {
		String other = System.getenv(name);
		return (other != null && !other.isBlank()) ? Optional.of(other.strip()) : Optional.empty();
	}

	/** The JVM options in environment variable {@code name}, split at white space. */
	private static List<String> options(String name) {
		String options = System.getenv().getOrDefault(name, "").strip();
		return options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
	}

	private static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	private AppProcess launch(String name, int port, List<String> command, Map<String, String> environment) {
		AppProcess process = AppProcess.start(name, port, command, environment, this.logDir);
		this.all.add(process);
		try {
			Files.writeString(this.pidFile, process.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return process;
	}

	/** Starts github-sim with the given extra arguments and waits until it answers. */
	void startSim(List<String> arguments) {
		List<String> command = new ArrayList<>(List.of(java()));
		command.addAll(options(SIM_JAVA_OPTS));
		command.addAll(List.of("-jar", this.settings.jars().resolve("gistgrep-github-sim.jar").toString(), "--port",
				Integer.toString(this.settings.simPort()), "--raw-port", Integer.toString(this.settings.simPort() + 1),
				"--quota", "10000000"));
		command.addAll(arguments);
		AppProcess sim = launch("github-sim", this.settings.simPort(), command, Map.of());
		sim.awaitReady(() -> answers(this.settings.simUrl() + "/_sim/health"), Duration.ofSeconds(60));
		this.sim = sim;
	}

	/** The running simulator. */
	AppProcess sim() {
		if (this.sim == null) {
			throw new IllegalStateException("github-sim has not started");
		}
		return this.sim;
	}

	/**
	 * Starts the api and the workers (the workers with {@code workerOptions} too) and
	 * waits until all are ready.
	 */
	void startApps(List<String> workerOptions) {
		this.generation++;
		startApi();
		startWorkers(workerOptions);
		awaitApps();
	}

	private void startApi() {
		Map<String, String> environment = appEnvironment();
		environment.put("SERVER_PORT", Integer.toString(this.settings.apiPort()));
		environment.put("MANAGEMENT_SERVER_PORT", Integer.toString(this.settings.apiPort() + 1));
		environment.put("GISTGREP_BOOTSTRAP_API_KEYS", "bench:" + this.apiKey);
		List<String> command = new ArrayList<>(List.of(java()));
		command.addAll(options(JAVA_OPTS));
		command.addAll(options(API_JAVA_OPTS));
		command.addAll(List.of("-jar", jar(API_JAR, "gistgrep-api.jar")));
		this.api = launch("api-" + this.generation, this.settings.apiPort(), command, environment);
	}

	private void startWorkers(List<String> workerOptions) {
		this.workers.clear();
		for (int i = 0; i < this.settings.workers(); i++) {
			int port = this.settings.workerPort() + i;
			Map<String, String> environment = appEnvironment();
			environment.put("SERVER_PORT", Integer.toString(port));
			List<String> command = new ArrayList<>(List.of(java()));
			command.addAll(WORKER_IMAGE_OPTIONS);
			command.addAll(options(JAVA_OPTS));
			command.addAll(workerOptions);
			command.addAll(options(WORKER_JAVA_OPTS));
			command.addAll(List.of("-jar", jar(WORKER_JAR, "gistgrep-worker.jar")));
			this.workers.add(launch("worker-" + (i + 1) + "-" + this.generation, port, command, environment));
		}
	}

	private void awaitApps() {
		String apiUrl = this.settings.apiUrl();
		String readiness = "http://127.0.0.1:" + (this.settings.apiPort() + 1) + "/actuator/health/readiness";
		AppProcess api = api();
		api.awaitReady(() -> this.http.tryGet(apiUrl + "/ping")
			.filter((r) -> r.statusCode() == 200 && r.body().strip().equals("pong"))
			.isPresent() && answers(readiness), Duration.ofSeconds(240));
		for (AppProcess worker : this.workers) {
			worker.awaitReady(() -> answers("http://127.0.0.1:" + worker.port + "/actuator/health/readiness"),
					Duration.ofSeconds(240));
		}
	}

	/** Stops the api and the workers (SIGTERM) and starts new ones. */
	void restartApps(List<String> workerOptions) {
		stopApps();
		startApps(workerOptions);
	}

	/** Stops the workers and starts new ones with {@code workerOptions}. */
	void restartWorkers(List<String> workerOptions) {
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(60)));
		this.generation++;
		startWorkers(workerOptions);
		awaitApps();
	}

	private void stopApps() {
		if (this.api != null) {
			this.api.stop(Duration.ofSeconds(60));
		}
		this.workers.forEach((worker) -> worker.stop(Duration.ofSeconds(60)));
	}

	/** Stops every process still running, the simulator last. */
	void stopAll() {
		stopApps();
		this.all.forEach((process) -> process.stop(Duration.ofSeconds(30)));
	}

	/** How long the running api and workers took until they were ready. */
	String startUpTimes() {
		StringBuilder line = new StringBuilder(
				Report.format("%s %.1f s", api().name, api().startUp().toMillis() / 1e3));
		for (AppProcess worker : this.workers) {
			line.append(Report.format(", %s %.1f s", worker.name, worker.startUp().toMillis() / 1e3));
		}
		return line.toString();
	}

	List<AppProcess> workers() {
		return List.copyOf(this.workers);
	}

	AppProcess api() {
		if (this.api == null) {
			throw new IllegalStateException("The api has not been started");
		}
		return this.api;
	}

	List<AppProcess> all() {
		return List.copyOf(this.all);
	}

	/** Empties the apps' Redis database: every cache cold. */
	void flushRedis() {
		try {
			Process flush = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-n",
					Integer.toString(this.settings.redisDb()), "FLUSHDB")
				.redirectErrorStream(true)
				.start();
			String output = new String(flush.getInputStream().readAllBytes()).strip();
			if (!flush.waitFor(30, TimeUnit.SECONDS) || !output.equals("OK")) {
				throw new IllegalStateException("redis-cli FLUSHDB answered: " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run redis-cli", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private boolean answers(String url) {
		return this.http.tryGet(url).filter((response) -> response.statusCode() == 200).isPresent();
	}

}
