package io.gistgrep.e2e;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import io.gistgrep.testing.TcpProxy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RabbitMQ away for about 10 s in the middle of a job: the api and the worker reach the
 * broker through a {@link TcpProxy} of this class's own, which cuts every connection and
 * refuses new ones (the shared broker is never touched). A search submitted meanwhile is
 * accepted (the outbox keeps its start message) and waits; both jobs end exact once the
 * broker is back.
 */
class BrokerOutageTests {

	private static final Logger log = LoggerFactory.getLogger(BrokerOutageTests.class);

	private static final String KEY = "ggk_brkout" + "0".repeat(41);

	private static GitHubSim sim;

	private static TcpProxy proxy;

	private static BrokerStack stack;

	@BeforeAll
	static void start() {
		// Cutting the broker makes Spring AMQP's own executor throw where it waits for
		// the confirms of a channel it returns to its cache; Awaitility would fail the
		// test on that uncaught exception of another thread. What the test checks is
		// that both jobs end exact, whatever the client library logs meanwhile.
		Awaitility.doNotCatchUncaughtExceptionsByDefault();
		sim = GitHubSim.start(SimOptions.defaults().withFaults(SimFaults.none().withRawLatency(Duration.ofMillis(20))));
		proxy = TcpProxy.to("127.0.0.1", 5672);
		stack = BrokerStack.start("brkout", sim, KEY, Map.of("spring.rabbitmq.port", Integer.toString(proxy.port())),
				Map.of("gistgrep.worker.concurrency", "4"));
	}

	@AfterAll
	static void stop() {
		Awaitility.reset();
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
	void aJobCutOffFromTheBrokerForTenSecondsAndASearchSubmittedMeanwhileBothEndExact() {
		SimUser during = sim.addUser(SyntheticUsers.generate("outage-during", 600, 51));
		SimUser submitted = sim.addUser(SyntheticUsers.generate("outage-submitted", 120, 52));
		String first = stack.calls.submit(during.login(), "TODO");
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> stack.calls.json("/jobs/" + first).path("progress").path("gists_scanned").asInt() >= 100);

		long started = System.nanoTime();
		proxy.refuse(true);
		proxy.cut();
		String second = stack.calls.submit(submitted.login(), "TODO");
		JsonNode midway = stack.calls.json("/jobs/" + first);
		await().during(Duration.ofSeconds(10))
			.atMost(Duration.ofSeconds(12))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> "queued".equals(stack.calls.json("/jobs/" + second).path("status").asString()));
		proxy.refuse(false);
		long outage = Duration.ofNanos(System.nanoTime() - started).toMillis();

		JsonNode one = stack.finished(first);
		JsonNode two = stack.finished(second);
		log.info(
				"Broker away for {} ms; the first job had {} of 600 gists scanned when it went, and ended {} s "
						+ "after it came back",
				outage, midway.path("progress").path("gists_scanned").asInt(),
				Duration.ofNanos(System.nanoTime() - started).minusMillis(outage).toSeconds());
		assertThat(midway.path("status").asString()).as("the outage began mid-job").isEqualTo("running");
		assertThat(midway.path("progress").path("gists_scanned").asInt()).isLessThan(600);
		assertExact(one, during, 600);
		assertExact(two, submitted, 120);
	}

	private static void assertExact(JsonNode job, SimUser user, int gists) {
		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		assertThat(job.path("progress").path("gists_total").asInt()).isEqualTo(gists);
		assertThat(job.path("progress").path("gists_scanned").asInt()).isEqualTo(gists);
		assertThat(job.path("progress").path("gists_failed").asInt()).isZero();
		Set<String> expected = Stack.expectedMatches(user, Pattern.compile("TODO"));
		assertThat(job.path("progress").path("gists_matched").asInt()).isEqualTo(expected.size());
		assertThat(stack.matchedIds(job.path("id").asString())).as("each matching gist once")
			.containsExactlyInAnyOrderElementsOf(expected);
	}

}
