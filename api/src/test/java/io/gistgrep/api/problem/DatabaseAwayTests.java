package io.gistgrep.api.problem;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.gistgrep.testing.TcpProxy;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The api while PostgreSQL is away, behind a {@link TcpProxy} that cuts its connections
 * and refuses new ones: every request that needs the database is a 503
 * {@code service-unavailable} problem with {@code Retry-After}, within about a second,
 * whether it fails in a filter (the API key lookup) or in a controller; readiness is
 * DOWN; both come back by themselves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "gistgrep.bootstrap-api-keys=pgaway:" + DatabaseAwayTests.KEY })
class DatabaseAwayTests {

	static final String KEY = "ggk_pgaway00000000000000000000000000000000000000000";

	private static final String UNKNOWN_KEY = "ggk_unknown0000000000000000000000000000000000000000";

	private static TcpProxy postgres;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.get().isolated("pgaway").forEach((key, value) -> {
			if (key.equals("spring.datasource.url")) {
				// jdbc:postgresql://host:port/db
				String authority = value.substring("jdbc:postgresql://".length(), value.indexOf('/', 18));
				int colon = authority.lastIndexOf(':');
				postgres = TcpProxy.to(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)));
				String proxied = value.replace(authority, "127.0.0.1:" + postgres.port());
				registry.add(key, () -> proxied);
			}
			else {
				registry.add(key, () -> value);
			}
		});
	}

	@AfterEach
	void back() {
		postgres.refuse(false);
	}

	@AfterAll
	static void close() {
		postgres.close();
	}

	@Test
	void whilePostgresIsAwayRequestsAre503ProblemsWithinASecondAndReadinessIsDownThenBothRecover() throws Exception {
		assertThat(get("/jobs", KEY).statusCode()).isEqualTo(200);
		assertThat(readiness()).isEqualTo(200);

		postgres.refuse(true);
		postgres.cut();

		for (String key : new String[] { KEY, UNKNOWN_KEY }) {
			long started = System.nanoTime();
			HttpResponse<String> answer = get("/jobs", key);
			long millis = (System.nanoTime() - started) / 1_000_000;
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
			assertThat(answer.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
			assertThat(answer.body()).contains("\"type\":\"https://gistgrep.dev/problems/service-unavailable\"")
				.contains("\"status\":503")
				.doesNotContain("Exception");
			assertThat(millis).as("fails in about a second, not in 30").isLessThan(2500);
		}
		assertThat(readiness()).as("readiness while PostgreSQL is away").isEqualTo(503);

		postgres.refuse(false);
		await().atMost(Duration.ofSeconds(10)).until(() -> readiness() == 200);
		assertThat(get("/jobs", KEY).statusCode()).isEqualTo(200);
	}

	private int readiness() throws IOException, InterruptedException {
		return this.http
			.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/readiness"))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", "Bearer " + key)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
