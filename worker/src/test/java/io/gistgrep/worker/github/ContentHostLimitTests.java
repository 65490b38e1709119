package io.gistgrep.worker.github;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.gistgrep.sim.Fault;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The adaptive limit of raw fetches in flight from one worker, against github-sim: it
 * grows under good answers to the shared budget's cap and no further, and shrinks when
 * the host throttles or fails.
 */
class ContentHostLimitTests {

	private static final int CAP = 12;

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final String login = "limit-" + UUID.randomUUID().toString().substring(0, 8);

	@AfterEach
	void stop() {
		this.github.close();
	}

	private GitHubTesting worker(int initial) {
		return new GitHubTesting(Map.of("api-url", this.github.apiUrl(), "raw-hosts", this.github.rawHost(),
				"git-hosts", this.github.gitHost(), "tokens", "limit-" + UUID.randomUUID(), "max-concurrency-per-host",
				Integer.toString(initial), "raw.max-concurrency", Integer.toString(CAP), "raw.rate", "100000",
				"raw.cool-down", "30s"), new SimpleMeterRegistry());
	}

	/** The raw URLs of a gist of {@code files} files, as listed. */
	private List<String> rawUrls(GitHubTesting worker, int files) {
		SimFile[] content = new SimFile[files];
		for (int i = 0; i < files; i++) {
			content[i] = SimFile.text("f" + i + ".txt", "file " + i + " of " + this.login + "\n");
		}
		this.github.addUser(SimUser.of(this.login, 4900,
				SimGist.of("ad" + this.login.substring(6), "limits", Instant.parse("2024-03-01T12:00:00Z"), content)));
		GitHubClient client = worker.client();
		return client.listGists(client.firstPageUrl(this.login), this.login)
			.gists()
			.getFirst()
			.files()
			.values()
			.stream()
			.map(ListedFile::rawUrl)
			.toList();
	}

	/** Fetches every URL at once, each on a virtual thread; the outcome of each. */
	private static List<Future<byte[]>> fetchAll(RawFiles raw, List<String> urls) {
		List<Callable<byte[]>> work = new ArrayList<>();
		urls.forEach((url) -> work.add(() -> raw.fetch(url)));
		try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
			return executor.invokeAll(work);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void theLimitGrowsUnderGoodAnswersToTheSharedCapAndNoFurther() throws Exception {
		this.github.setFaults(SimFaults.none().withRawLatency(Duration.ofMillis(30)));
		GitHubTesting worker = worker(2);
		List<String> files = rawUrls(worker, 40);
		List<String> fetches = new ArrayList<>();
		for (int round = 0; round < 4; round++) {
			fetches.addAll(files);
		}
		URI host = URI.create(files.getFirst());

		List<Future<byte[]>> outcomes = fetchAll(worker.rawFiles(), fetches);

		for (Future<byte[]> outcome : outcomes) {
			assertThat(outcome.get()).isNotEmpty();
		}
		assertThat(this.github.counters().rawRequests()).isEqualTo(160);
		assertThat(worker.hosts().contentLimit(host)).isEqualTo(CAP);
		assertThat(worker.hosts().maxContentInFlight(host)).isEqualTo(CAP);
	}

	@Test
	void aThrottleHalvesTheLimitAndParksTheWork() {
		GitHubTesting worker = worker(CAP);
		List<String> files = rawUrls(worker, 2);
		URI host = URI.create(files.getFirst());
		RawFiles raw = worker.rawFiles();
		this.github.setRawThrottle(1, Duration.ofSeconds(30));
		raw.fetch(files.get(0));

		assertThatExceptionOfType(GitHubException.RateLimited.class).isThrownBy(() -> raw.fetch(files.get(1)));

		assertThat(this.github.counters().rawThrottled()).isOne();
		assertThat(worker.hosts().contentLimit(host)).isEqualTo(CAP / 2);
	}

	@Test
	void errorsOfRequestsInFlightTogetherHalveTheLimitOnceNotOncePerRequest() {
		this.github.setFaults(SimFaults.none().withRawLatency(Duration.ofMillis(300)));
		GitHubTesting worker = worker(CAP);
		List<String> files = rawUrls(worker, CAP);
		URI host = URI.create(files.getFirst());
		this.github.failNext(Target.RAW, Fault.STATUS_500, CAP);

		List<Future<byte[]>> outcomes = fetchAll(worker.rawFiles(), files);

		for (Future<byte[]> outcome : outcomes) {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(outcome::get)
				.withCauseInstanceOf(GitHubException.Transient.class);
		}
		assertThat(worker.hosts().maxContentInFlight(host)).isEqualTo(CAP);
		assertThat(worker.hosts().contentLimit(host)).isEqualTo(CAP / 2);
	}

}
