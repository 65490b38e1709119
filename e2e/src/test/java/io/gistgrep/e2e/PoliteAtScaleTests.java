package io.gistgrep.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimCounters;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GitHub on a busy day, from github-sim: a raw host that throttles with cool-downs, and
 * repeated listings with two tokens. On a stack of its own ({@link OwnStack}), whose
 * worker has two tokens, a raw budget above what the sim allows (so that it is throttled)
 * and cool-downs as short as the sim's.
 */
class PoliteAtScaleTests {

	private static final Logger log = LoggerFactory.getLogger(PoliteAtScaleTests.class);

	private static final String KEY = "ggk_polite" + "0".repeat(41);

	private static final String ONE = "polite-token-1";

	private static final String TWO = "polite-token-2";

	private static OwnStack stack;

	private static GitHubSim sim;

	private static ApiCalls calls;

	@BeforeAll
	static void start() {
		sim = GitHubSim.start(SimOptions.defaults());
		// At most 8 requests in flight to the content host: those under way when a
		// cool-down begins still reach it, and with the default cap (32) a busy machine
		// let 18 of them through, which says nothing of the worker's manners. Fewer than
		// 10 during a cool-down then means that it sent none once it knew.
		stack = OwnStack.start("polite", sim, Map.of("polite", KEY), "--gistgrep.github.tokens=" + ONE + "," + TWO,
				"--gistgrep.github.raw.rate=100", "--gistgrep.github.raw.cool-down=5s",
				"--gistgrep.github.raw.max-concurrency=8");
		calls = stack.calls("polite");
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
	}

	@AfterEach
	void lift() {
		sim.setRawThrottle(0, Duration.ZERO);
	}

	@Test
	void aJobEndsExactUnderRawThrottlingAndFewRequestsReachTheHostDuringItsCoolDowns() {
		SimUser user = sim.addUser(SyntheticUsers.generate("throttled-" + suffix(), 250, 11));
		sim.setRawThrottle(40, Duration.ofSeconds(5));
		AtomicBoolean sawWaiting = new AtomicBoolean();

		String id = calls.submit(user.login(), "TODO");
		JsonNode job = finished(id, (running) -> {
			if (!running.path("progress").path("waiting_for_github_until").isNull()) {
				sawWaiting.set(true);
			}
		});

		assertThat(job.path("status").asString()).isEqualTo("succeeded");
		Set<String> expected = Stack.expectedMatches(user, Pattern.compile("TODO"));
		assertThat(job.path("progress").path("gists_total").asInt()).isEqualTo(250);
		assertThat(job.path("progress").path("gists_scanned").asInt()).isEqualTo(250);
		assertThat(job.path("progress").path("gists_matched").asInt()).isEqualTo(expected.size());
		assertThat(job.path("progress").path("waiting_for_github_until").isNull()).as("ended: waits for nothing")
			.isTrue();
		List<SimCounters.CoolDown> coolDowns = sim.counters().rawCoolDowns();
		log.info("Raw throttling at 40/s with 5 s cool-downs: {} cool-downs, requests during each: {}",
				coolDowns.size(), coolDowns.stream().map(SimCounters.CoolDown::requestsDuring).toList());
		assertThat(coolDowns).as("the worker asks for more than 40/s, so the host throttles it").isNotEmpty();
		assertThat(coolDowns).allSatisfy(
				(coolDown) -> assertThat(coolDown.requestsDuring()).as("requests reaching the host during a cool-down")
					.isLessThan(10));
		assertThat(sawWaiting).as("the job showed progress.waiting_for_github_until while parked").isTrue();
	}

	@Test
	void aRepeatedListingWithTwoTokensIsAnswered304AndSpendsNoQuota() {
		SimUser user = sim.addUser(SyntheticUsers.generate("repeat-" + suffix(), 250, 31));
		assertThat(finished(calls.submit(user.login(), "TODO"), (running) -> {
		}).path("status").asString()).isEqualTo("succeeded");
		long quotaBefore = sim.counters().quotaCounted();
		long notModifiedBefore = sim.counters().notModified();
		long listsBefore = sim.counters().listRequests();

		JsonNode again = finished(calls.submit(user.login(), "TODO"), (running) -> {
		});

		assertThat(again.path("status").asString()).isEqualTo("succeeded");
		assertThat(sim.counters().quotaCounted() - quotaBefore).as("quota-counted calls").isZero();
		long lists = sim.counters().listRequests() - listsBefore;
		assertThat(lists).as("listing pages asked again").isPositive();
		assertThat(sim.counters().notModified() - notModifiedBefore).as("answered 304").isEqualTo(lists);
		assertThat(sim.counters().requestsWithToken(ONE)).as("both tokens are used").isPositive();
		assertThat(sim.counters().requestsWithToken(TWO)).as("both tokens are used").isPositive();
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	private JsonNode finished(String id, Consumer<JsonNode> whileRunning) {
		return stack.finished("polite", id, whileRunning);
	}

}
