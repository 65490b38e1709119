package io.gistgrep.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A worker as a child process ({@code java -jar worker/target/gistgrep-worker.jar}), for
 * the tests that stop workers the way an orchestrator does: SIGTERM
 * ({@link #terminate()}) and SIGKILL ({@link #kill()}). The in-JVM workers of
 * {@link Stack} and {@link OwnStack} have no process to signal.
 * <p>
 * The jar is the one the reactor packaged before this module's tests; the JDK is the one
 * running the tests. The process's output goes to
 * {@code target/worker-processes/<name>.log}.
 */
final class WorkerProcess implements AutoCloseable {

	private static final Path JAR = Path.of(System.getProperty("basedir", "."))
		.resolve("../worker/target/gistgrep-worker.jar")
		.normalize();

	private static final Path API_JAR = Path.of(System.getProperty("basedir", "."))
		.resolve("../api/target/gistgrep-api.jar")
		.normalize();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	final String name;

	final Path log;

	private final Process process;

	private final int port;

	/** Where its actuator endpoints are: the worker's HTTP port, the api's own. */
	private final int managementPort;

	private WorkerProcess(String name, Path log, Process process, int port, int managementPort) {
		this.name = name;
		this.log = log;
		this.process = process;
		this.port = port;
		this.managementPort = managementPort;
	}

	/**
	 * Starts a worker with {@code properties} as its command-line arguments (without the
	 * leading {@code --}); its HTTP port is chosen here.
	 */
	static WorkerProcess start(String name, Map<String, String> properties) {
		return start(JAR, name, properties, false);
	}

	/**
	 * Starts the api the same way ({@code api/target/gistgrep-api.jar}), for tests that
	 * read its own output: its API on {@link #port()}, its management endpoints on a port
	 * of their own.
	 */
	static WorkerProcess startApi(String name, Map<String, String> properties) {
		return start(API_JAR, name, properties, true);
	}

	private static WorkerProcess start(Path jar, String name, Map<String, String> properties,
			boolean managementPortOfItsOwn) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: package the apps first (verify -pl e2e -am)");
		}
		String java = ProcessHandle.current().info().command().orElse("java");
		int port = freePort();
		// C1 only: these apps live for seconds, and start faster without C2.
		List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx384m", "-jar",
				jar.toString(), "--server.port=" + port, "--spring.application.name=" + name));
		int managementPort = managementPortOfItsOwn ? freePort() : port;
		if (managementPortOfItsOwn) {
			command.add("--management.server.port=" + managementPort);
		}
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		try {
			Path dir = Files.createDirectories(Path.of("target", "worker-processes"));
			Path log = dir.resolve(name + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new WorkerProcess(name, log, process, port, managementPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Waits until the worker's readiness probe answers UP. */
	WorkerProcess awaitReady() {
		HttpRequest ready = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		// Minutes, not seconds: on a busy CI machine a Spring Boot JVM may take a minute
		// to start.
		await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.name + " exited with " + this.process.exitValue() + ", see " + this.log);
			}
			try {
				return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
			}
			catch (IOException ex) {
				return false;
			}
		});
		return this;
	}

	/**
	 * The sum of a metric's series on the worker's Prometheus endpoint (0 when it has
	 * none).
	 */
	double metric(String name) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus"))
			.timeout(Duration.ofSeconds(5))
			.build();
		try {
			String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
			return body.lines()
				.filter((line) -> line.startsWith(name + "{") || line.startsWith(name + " "))
				.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
				.sum();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The HTTP status of a health probe ({@code readiness}, {@code liveness}); -1 when
	 * nothing answers.
	 */
	int probe(String probe) {
		try {
			return http.send(health(probe), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The body of a health probe's answer. */
	String body(String probe) {
		try {
			return http.send(health(probe), HttpResponse.BodyHandlers.ofString()).body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest health(String probe) {
		return HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/" + probe))
			.timeout(Duration.ofSeconds(10))
			.build();
	}

	/** The HTTP port: the worker's management endpoints, the api's API. */
	int port() {
		return this.port;
	}

	boolean alive() {
		return this.process.isAlive();
	}

	/** Sends SIGTERM, as Kubernetes does to a pod it stops. */
	void terminate() {
		this.process.destroy();
	}

	/** Sends SIGKILL: the worker dies at once, with its deliveries unacknowledged. */
	void kill() {
		this.process.destroyForcibly();
	}

	/**
	 * Waits for the process to exit.
	 * @return its exit status
	 * @throws AssertionError if it is still running after {@code timeout}
	 */
	int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError(
						this.name + " still runs " + timeout + " after being stopped, see " + this.log);
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Kills the process if it still runs. */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			awaitExit(Duration.ofSeconds(30));
		}
	}

	/**
	 * A port that nothing listens on, for an app to bind seconds later, below the
	 * kernel's range of ephemeral ports (Linux's default one). A port from that range,
	 * which {@code new ServerSocket(0)} gives, may be taken meanwhile by an outgoing
	 * connection of any process: a worker once failed to start with "Port … was already
	 * in use".
	 */
	private static int freePort() {
		// Linux's default ephemeral range starts at 32768.
		int low = 10_000;
		int ephemeral = 32_768;
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(low, ephemeral);
			try (ServerSocket socket = new ServerSocket(port)) {
				return port;
			}
			catch (IOException taken) {
				// Someone listens there: another one.
			}
		}
		throw new IllegalStateException("No free port found between " + low + " and " + ephemeral);
	}

}
