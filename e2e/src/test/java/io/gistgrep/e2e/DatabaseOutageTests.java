package io.gistgrep.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.gistgrep.testing.TcpProxy;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL going away during a job, on a stack of its own whose apps reach PostgreSQL
 * through a {@link TcpProxy}: the worker's connections killed twice
 * ({@code pg_terminate_backend}) during a 2,000-gist job, and the database "stopped" for
 * 10 s (every connection cut, new ones refused; a 1,000-gist job, to stay within a minute
 * on a busy machine). The job ends exact each time; meanwhile the api answers 503
 * problems and both apps' readiness is DOWN.
 */
class DatabaseOutageTests {

	private static final Logger log = LoggerFactory.getLogger(DatabaseOutageTests.class);

	private static final String NAME = "pgout";

	private static TcpProxy postgres;

	private static OutageStack stack;

	private static String directUrl;

	@BeforeAll
	static void start() {
		Map<String, String> services = new HashMap<>(TestServices.get().isolated(NAME));
		directUrl = services.get("spring.datasource.url");
		URIParts target = URIParts.of(directUrl);
		postgres = TcpProxy.to(target.host(), target.port());
		services.put("spring.datasource.url", target.withPort(postgres.port()));
		stack = new OutageStack(NAME, services);
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	@AfterEach
	void back() {
		postgres.refuse(false);
	}

	@Test
	void aJobWhoseWorkerConnectionsAreTerminatedTwiceThreeSecondsApartEndsExact() throws SQLException {
		SimUser user = stack.sim.addUser(SyntheticUsers.generate("killed-" + suffix(), 2000, 12));
		long started = System.nanoTime();
		String id = stack.calls.submit(user.login(), "TODO");
		await().atMost(Duration.ofSeconds(90)).until(() -> stack.counted(id) >= 200);

		int first = terminateWorkerConnections();
		long firstAt = System.nanoTime();
		int countedAtFirst = stack.counted(id);
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> System.nanoTime() - firstAt >= Duration.ofSeconds(3).toNanos()
					&& stack.counted(id) > countedAtFirst);
		int second = terminateWorkerConnections();
		JsonNode job = stack.finished(id, Duration.ofSeconds(240));

		log.info("Terminated {} then {} worker connections 3 s apart; the 2,000-gist job ended in {} ms", first, second,
				(System.nanoTime() - started) / 1_000_000);
		assertThat(first).as("worker connections terminated the first time").isPositive();
		assertThat(second).as("worker connections terminated the second time").isPositive();
		stack.assertExact(job, user, "TODO");
	}

	@Test
	void whilePostgresIsStoppedForTenSecondsTheApiAnswers503AndReadinessIsDownThenEverythingRecovers() {
		SimUser user = stack.sim.addUser(SyntheticUsers.generate("stopped-" + suffix(), 1000, 13));
		String id = stack.calls.submit(user.login(), "TODO");
		await().atMost(Duration.ofSeconds(90)).until(() -> stack.counted(id) >= 100);

		postgres.refuse(true);
		postgres.cut();
		long stoppedAt = System.nanoTime();
		List<Integer> answers = new ArrayList<>();
		List<Long> answerMillis = new ArrayList<>();
		List<Integer> apiReadiness = new ArrayList<>();
		List<Integer> workerReadiness = new ArrayList<>();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
			long before = System.nanoTime();
			Stack.Response read = stack.calls.get("/jobs/" + id);
			answerMillis.add((System.nanoTime() - before) / 1_000_000);
			assertUnavailable(read);
			Stack.Response submit = stack.calls.post("/jobs",
					"{\"username\":\"" + user.login() + "\",\"pattern\":\"x\"}");
			assertUnavailable(submit);
			answers.add(read.status());
			apiReadiness.add(stack.status(stack.apiManagement, "/actuator/health/readiness"));
			workerReadiness.add(stack.status(stack.workerManagement, "/actuator/health/readiness"));
			return System.nanoTime() - stoppedAt >= Duration.ofSeconds(10).toNanos();
		});
		postgres.refuse(false);
		long restartedAt = System.nanoTime();
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> stack.status(stack.apiManagement, "/actuator/health/readiness") == 200
					&& stack.status(stack.workerManagement, "/actuator/health/readiness") == 200);
		long readyMillis = (System.nanoTime() - restartedAt) / 1_000_000;
		JsonNode job = stack.finished(id, Duration.ofSeconds(180));

		log.info(
				"PostgreSQL stopped for 10 s: {} reads answered 503 (slowest {} ms); readiness back {} ms after"
						+ " the restart; the job ended {} ms after it",
				answers.size(), answerMillis.stream().mapToLong(Long::longValue).max().orElse(0), readyMillis,
				(System.nanoTime() - restartedAt) / 1_000_000);
		assertThat(answerMillis).as("each request fails in about a second, not Hikari's 30")
			.allSatisfy((millis) -> assertThat(millis).isLessThan(2500));
		assertThat(apiReadiness).as("api readiness while PostgreSQL is away").contains(503);
		assertThat(workerReadiness).as("worker readiness while PostgreSQL is away").contains(503);
		assertThat(apiReadiness.subList(apiReadiness.size() / 2, apiReadiness.size())).containsOnly(503);
		assertThat(workerReadiness.subList(workerReadiness.size() / 2, workerReadiness.size())).containsOnly(503);
		stack.assertExact(job, user, "TODO");
		assertThat(stack.calls.get("/jobs/" + id).status()).isEqualTo(200);
	}

	private static void assertUnavailable(Stack.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(503);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/service-unavailable");
		assertThat(response.header("Retry-After")).isEqualTo("5");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
	}

	/** Kills every connection the worker holds, directly on the server; how many. */
	private static int terminateWorkerConnections() throws SQLException {
		try (Connection connection = DriverManager.getConnection(directUrl, "postgres", "postgres");
				PreparedStatement statement = connection
					.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
							+ " WHERE application_name = ? AND datname = current_database()")) {
			statement.setString(1, NAME + "-worker");
			int terminated = 0;
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					terminated += rows.getBoolean(1) ? 1 : 0;
				}
			}
			return terminated;
		}
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	/** The host and port of a {@code jdbc:postgresql://host:port/db} URL. */
	private record URIParts(String prefix, String host, int port, String rest) {

		static URIParts of(String url) {
			String prefix = "jdbc:postgresql://";
			String authority = url.substring(prefix.length(), url.indexOf('/', prefix.length()));
			String rest = url.substring(prefix.length() + authority.length());
			int colon = authority.lastIndexOf(':');
			String host = (colon < 0) ? authority : authority.substring(0, colon);
			int port = (colon < 0) ? 5432 : Integer.parseInt(authority.substring(colon + 1));
			return new URIParts(prefix, host, port, rest);
		}

		String withPort(int port) {
			return this.prefix + this.host + ":" + port + this.rest;
		}

	}

}
