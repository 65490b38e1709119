package io.gistgrep.api.ratelimit;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limits against the real Redis, in a context of their own with low limits (8
 * submissions and 20 reads a minute). Each test makes new tenants, so each starts with
 * full buckets.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=-1", "gistgrep.admin-token=" + Calls.ADMIN_TOKEN,
				"logging.level.org.springframework.boot.web=DEBUG",
				"gistgrep.rate-limit.jobs-per-minute=" + RateLimitTests.JOBS,
				"gistgrep.rate-limit.reads-per-minute=" + RateLimitTests.READS })
class RateLimitTests {

	static final int JOBS = 8;

	static final int READS = 20;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Test
	void theNinthSubmissionWithinAMinuteIsA429WithRetryAfterWhileAnotherTenantIsStillServed() {
		String key = Calls.newTenantKey(this.port);
		String other = Calls.newTenantKey(this.port);
		for (int i = 1; i <= JOBS; i++) {
			HttpResponse<String> response = Calls.submit(this.port, key);
			assertThat(response.statusCode()).as("submission %d", i).isEqualTo(202);
			assertThat(Calls.remaining(response)).isEqualTo(JOBS - i);
		}
		long jobs = jobs();
		HttpResponse<String> refused = Calls.submit(this.port, key);
		Calls.assertRateLimited(refused);
		assertThat(Calls.json(refused).path("detail").asString()).contains("8 jobs a minute");
		assertThat(jobs()).as("a refused submission creates no job").isEqualTo(jobs);
		assertThat(Calls.submit(this.port, other).statusCode()).isEqualTo(202);
		assertThat(Calls.list(this.port, key).statusCode()).as("reads have a bucket of their own").isEqualTo(200);
	}

	@Test
	void theSubmissionLimitHoldsAcrossTwoInstancesOnOneRedis() {
		try (ConfigurableApplicationContext second = startSecondInstance()) {
			int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
			String key = Calls.newTenantKey(this.port);
			for (int i = 1; i <= JOBS; i++) {
				int port = (i % 2 == 0) ? this.port : secondPort;
				assertThat(Calls.submit(port, key).statusCode()).as("submission %d", i).isEqualTo(202);
			}
			Calls.assertRateLimited(Calls.submit(secondPort, key));
			Calls.assertRateLimited(Calls.submit(this.port, key));
		}
	}

	@Test
	void readsAreLimitedSeparatelyFromSubmissions() {
		String key = Calls.newTenantKey(this.port);
		for (int i = 1; i <= READS; i++) {
			HttpResponse<String> response = (i % 2 == 0) ? Calls.list(this.port, key)
					: Calls.send(this.port, "GET", "/jobs/00000000-0000-0000-0000-000000000001", key, null);
			assertThat(response.statusCode()).as("read %d", i).isIn(200, 404);
			assertThat(response.headers().firstValue("RateLimit-Policy")).hasValue("\"reads\";q=20;w=60");
		}
		HttpResponse<String> refused = Calls.list(this.port, key);
		Calls.assertRateLimited(refused);
		assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("\"reads\";q=20;w=60");
		HttpResponse<String> submitted = Calls.submit(this.port, key);
		assertThat(submitted.statusCode()).isEqualTo(202);
		assertThat(Calls.remaining(submitted)).isEqualTo(JOBS - 1);
	}

	@Test
	void everyLimitedAnswerCarriesThePolicyAndWhatIsLeftOfIt() {
		String key = Calls.newTenantKey(this.port);
		HttpResponse<String> submitted = Calls.submit(this.port, key);
		assertThat(submitted.headers().firstValue("RateLimit-Policy")).hasValue("\"jobs\";q=8;w=60");
		assertThat(submitted.headers().firstValue("RateLimit"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("\"jobs\";r=7;t="));
		assertThat(Calls.reset(submitted)).as("one token of 8 a minute comes back in 7.5 s").isBetween(7L, 8L);
		HttpResponse<String> read = Calls.list(this.port, key);
		assertThat(read.headers().firstValue("RateLimit-Policy")).hasValue("\"reads\";q=20;w=60");
		assertThat(Calls.remaining(read)).isEqualTo(READS - 1);
		assertThat(Calls.reset(read)).isBetween(2L, 3L);
		HttpResponse<String> invalid = Calls.send(this.port, "POST", "/jobs", key, "{\"username\":\"-\"}");
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(Calls.remaining(invalid)).as("a bad submission spends a token too").isEqualTo(JOBS - 2);
	}

	@Test
	void pingTheOpenApiDescriptionAndTheAdminEndpointAreNeverLimited() {
		String key = Calls.newTenantKey(this.port);
		for (int i = 0; i < READS + 5; i++) {
			HttpResponse<String> ping = Calls.send(this.port, "GET", "/ping", key, null);
			assertThat(ping.statusCode()).isEqualTo(200);
			assertThat(ping.headers().firstValue("RateLimit")).isEmpty();
		}
		assertThat(Calls.send(this.port, "GET", "/v3/api-docs", key, null).headers().firstValue("RateLimit")).isEmpty();
		assertThat(Calls.send(this.port, "GET", "/admin/api-keys", Calls.ADMIN_TOKEN, null)
			.headers()
			.firstValue("RateLimit")).isEmpty();
		assertThat(Calls.remaining(Calls.list(this.port, key))).as("none of that was counted").isEqualTo(READS - 1);
	}

	@Test
	void withoutLegacyAnonymousAKeylessLegacyCallIsA401NotALimitedCall() {
		HttpResponse<String> response = Calls.send(this.port, "POST", "/api/v1/search", null, Calls.JOB);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("RateLimit")).isEmpty();
	}

	private ConfigurableApplicationContext startSecondInstance() {
		List<String> args = new ArrayList<>();
		TestServices.get().properties().forEach((key, value) -> args.add("--" + key + "=" + value));
		args.addAll(List.of("--server.port=0", "--management.server.port=-1", "--spring.application.name=second-api",
				"--gistgrep.rate-limit.jobs-per-minute=" + JOBS, "--gistgrep.rate-limit.reads-per-minute=" + READS));
		return new SpringApplicationBuilder(ApiApplication.class).run(args.toArray(String[]::new));
	}

	private long jobs() {
		return this.jdbc.sql("SELECT count(*) FROM jobs").query(Long.class).single();
	}

}
