package io.gistgrep.api;

import io.gistgrep.testing.TestServices;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole api on a random port, on this run's PostgreSQL, RabbitMQ and Redis, with no
 * worker, and without the actuator's separate management server (no test here reads it;
 * e2e runs it). Every full-context test extends this class and adds no configuration of
 * its own, so they all share one application context (one start for the module).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=-1", "gistgrep.outbox.poll-interval=200ms", "gistgrep.retention.batch=2",
				"gistgrep.legacy.timeout=" + RunningApi.LEGACY_TIMEOUT })
public abstract class RunningApi {

	/** Short, so a test can see the legacy endpoint give up waiting. */
	public static final String LEGACY_TIMEOUT = "3s";

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@LocalServerPort
	protected int port;

}
