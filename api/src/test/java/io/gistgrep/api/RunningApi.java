package io.gistgrep.api;

import io.gistgrep.testing.TestServices;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole api on a random port, on this run's PostgreSQL, RabbitMQ and Redis, with no
 * worker, and without the actuator's separate management server (no test here reads it;
 * e2e runs it). Two tenants' API keys and the admin token are seeded. The rate limits are
 * on (every answer goes through the limiter) but too high for any test to hit; the rate
 * limit tests have contexts of their own. Every full-context test extends this class and
 * adds no configuration of its own, so they all share one application context (one start
 * for the module).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=-1", "gistgrep.outbox.poll-interval=200ms", "gistgrep.retention.batch=2",
				"gistgrep.legacy.timeout=" + RunningApi.LEGACY_TIMEOUT,
				"gistgrep.bootstrap-api-keys=" + RunningApi.TENANT + ":" + RunningApi.API_KEY + ","
						+ RunningApi.OTHER_TENANT + ":" + RunningApi.OTHER_API_KEY,
				"gistgrep.admin-token=" + RunningApi.ADMIN_TOKEN, "gistgrep.rate-limit.jobs-per-minute=100000",
				"gistgrep.rate-limit.reads-per-minute=100000" })
public abstract class RunningApi {

	/** Short, so a test can see the legacy endpoint give up waiting. */
	public static final String LEGACY_TIMEOUT = "3s";

	/** The tenant of {@link #API_KEY}, which every test's requests carry. */
	public static final String TENANT = "test";

	/** Seeded through {@code GISTGREP_BOOTSTRAP_API_KEYS}. */
	public static final String API_KEY = "ggk_test0000000000000000000000000000000000000000";

	/** The {@code Authorization} header of {@link #API_KEY}. */
	public static final String BEARER = "Bearer " + API_KEY;

	/** Another tenant, for isolation tests. */
	public static final String OTHER_TENANT = "other";

	public static final String OTHER_API_KEY = "ggk_other000000000000000000000000000000000000000";

	public static final String ADMIN_TOKEN = "admin-token-for-tests";

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@LocalServerPort
	protected int port;

}
