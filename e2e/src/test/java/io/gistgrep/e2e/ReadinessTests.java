package io.gistgrep.e2e;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.gistgrep.common.task.Queues;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.testing.TcpProxy;
import io.gistgrep.testing.TestServices;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What each app needs to be ready, as its readiness probe says: the api needs PostgreSQL
 * only (the outbox absorbs a broker outage), the worker needs PostgreSQL, RabbitMQ and
 * its running listener containers. Liveness depends on nothing external. The broker is
 * reached through a {@link TcpProxy} of this class's own, which can cut it.
 */
class ReadinessTests {

	private static final String KEY = "ggk_ready" + "0".repeat(42);

	private static GitHubSim sim;

	private static TcpProxy proxy;

	private static BrokerStack stack;

	private static WorkerProcess worker;

	@BeforeAll
	static void start() {
		// Cutting the broker makes Spring AMQP's own executor throw on a thread of its
		// own (see BrokerOutageTests); the probes are what this class checks.
		Awaitility.doNotCatchUncaughtExceptionsByDefault();
		sim = GitHubSim.start(SimOptions.defaults());
		proxy = TcpProxy.to("127.0.0.1", 5672);
		stack = BrokerStack.start("ready", sim, KEY, Map.of("spring.rabbitmq.port", Integer.toString(proxy.port())),
				Map.of());
		// The worker as a process of its own too: the jar as shipped, its own
		// configuration
		// file among what it reads.
		Map<String, String> properties = new LinkedHashMap<>(TestServices.get().isolated("readyproc"));
		properties.put("spring.rabbitmq.port", Integer.toString(proxy.port()));
		properties.put("gistgrep.github.api-url", sim.apiUrl());
		properties.put("gistgrep.github.raw-hosts", sim.rawHost());
		properties.put("gistgrep.github.git-hosts", sim.gitHost());
		properties.put("gistgrep.github.tokens", "ready-token");
		properties.put("management.endpoint.health.group.readiness.show-components", "always");
		worker = WorkerProcess.start("ready-worker", properties).awaitReady();
	}

	@AfterAll
	static void stop() {
		Awaitility.reset();
		if (worker != null) {
			worker.close();
		}
		if (stack != null) {
			stack.close();
		}
		if (proxy != null) {
			proxy.close();
		}
		if (sim != null) {
			sim.close();
		}
	}

	@Test
	void withoutTheBrokerTheWorkerIsNotReadyTheApiStaysReadyAndBothStayAlive() {
		assertThat(worker.probe("readiness")).isEqualTo(200);
		assertThat(worker.body("readiness"))
			.as("the worker's readiness: PostgreSQL, RabbitMQ and its listeners, not Redis")
			.contains("\"db\"", "\"rabbit\"", "\"listeners\"")
			.doesNotContain("\"redis\"");
		assertThat(ManagementCalls.probe(stack.api, "readiness")).isEqualTo(200);

		proxy.refuse(true);
		proxy.cut();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> worker.probe("readiness") == 503);
			assertThat(ManagementCalls.probe(stack.api, "readiness")).as("the api's outbox absorbs the outage")
				.isEqualTo(200);
			assertThat(worker.probe("liveness")).isEqualTo(200);
			assertThat(ManagementCalls.probe(stack.api, "liveness")).isEqualTo(200);
		}
		finally {
			proxy.refuse(false);
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> worker.probe("readiness") == 200);
	}

	@Test
	void aWorkerWhoseListenerContainersStoppedIsNotReady() {
		HealthIndicator listenersHealth = stack.worker.getBean("listenersHealthIndicator", HealthIndicator.class);
		RabbitListenerEndpointRegistry listeners = stack.worker.getBean(RabbitListenerEndpointRegistry.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> listenersHealth.health().getStatus() == Status.UP);
		String stopped = Queues.SCAN_GIST;

		listeners.getListenerContainer(stopped).stop();
		try {
			Health health = listenersHealth.health();
			assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(health.getDetails().get("containers").toString()).contains(stopped + "=stopped",
					Queues.LIST_PAGE + "=running");
		}
		finally {
			listeners.start();
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> listenersHealth.health().getStatus() == Status.UP);
	}

}
