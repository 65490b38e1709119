package io.gistgrep.api.ratelimit;

import java.net.http.HttpResponse;

import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GISTGREP_LEGACY_ANONYMOUS=true} with 3 keyless calls a minute per client
 * address, and the tenant limits at 0 (unlimited), in a context of their own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=-1", "gistgrep.admin-token=" + Calls.ADMIN_TOKEN,
				"gistgrep.legacy-anonymous=true", "gistgrep.legacy.timeout=100ms",
				"gistgrep.rate-limit.anonymous-per-minute=" + LegacyAnonymousTests.ANONYMOUS,
				"gistgrep.rate-limit.jobs-per-minute=0", "gistgrep.rate-limit.reads-per-minute=0" })
class LegacyAnonymousTests {

	static final int ANONYMOUS = 3;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Test
	void keylessLegacyCallsAreTakenAsTheAnonymousTenantUnderAPerAddressLimit() {
		long before = anonymousJobs();
		for (int i = 1; i <= ANONYMOUS; i++) {
			HttpResponse<String> response = Calls.send(this.port, "POST", "/api/v1/search", null, Calls.JOB);
			assertThat(response.statusCode()).as("call %d", i).isEqualTo(202);
			assertThat(Calls.json(response).path("status").asString()).isEqualTo("pending");
			assertThat(response.headers().firstValue("RateLimit-Policy")).hasValue("\"anonymous\";q=3;w=60");
			assertThat(Calls.remaining(response)).isEqualTo(ANONYMOUS - i);
		}
		assertThat(anonymousJobs()).isEqualTo(before + ANONYMOUS);
		HttpResponse<String> refused = Calls.send(this.port, "POST", "/api/v1/search", null, Calls.JOB);
		Calls.assertRateLimited(refused);
		assertThat(Calls.json(refused).path("detail").asString()).contains("per client address");
		assertThat(anonymousJobs()).as("a refused call creates no job").isEqualTo(before + ANONYMOUS);
		String key = Calls.newTenantKey(this.port);
		assertThat(Calls.send(this.port, "POST", "/api/v1/search", key, Calls.JOB).statusCode())
			.as("a caller with a key is not held by the anonymous limit")
			.isEqualTo(202);
	}

	@Test
	void onlyTheLegacyEndpointTakesKeylessCallsAndAWrongKeyIsStillA401() {
		assertThat(Calls.send(this.port, "POST", "/jobs", null, Calls.JOB).statusCode()).isEqualTo(401);
		assertThat(Calls.send(this.port, "GET", "/jobs", null, null).statusCode()).isEqualTo(401);
		assertThat(Calls.send(this.port, "GET", "/api/v1/search", null, null).statusCode()).isEqualTo(401);
		assertThat(Calls
			.send(this.port, "POST", "/api/v1/search", "ggk_wrong000000000000000000000000000000000000000", Calls.JOB)
			.statusCode()).isEqualTo(401);
	}

	@Test
	void aLimitOfZeroIsNoLimitAndNoHeaders() {
		String key = Calls.newTenantKey(this.port);
		for (int i = 0; i < 70; i++) {
			HttpResponse<String> read = Calls.list(this.port, key);
			assertThat(read.statusCode()).isEqualTo(200);
			assertThat(read.headers().firstValue("RateLimit")).isEmpty();
			assertThat(read.headers().firstValue("RateLimit-Policy")).isEmpty();
		}
		for (int i = 0; i < 12; i++) {
			HttpResponse<String> submitted = Calls.submit(this.port, key);
			assertThat(submitted.statusCode()).isEqualTo(202);
			assertThat(submitted.headers().firstValue("RateLimit")).isEmpty();
		}
	}

	private long anonymousJobs() {
		return this.jdbc.sql("SELECT count(*) FROM jobs WHERE tenant = 'anonymous'").query(Long.class).single();
	}

}
