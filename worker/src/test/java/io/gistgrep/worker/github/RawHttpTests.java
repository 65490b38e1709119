package io.gistgrep.worker.github;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFaults;
import io.gistgrep.sim.SimOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The raw host's HTTP client against github-sim: bodies read whole up to the cap, with or
 * without a length, the deadline, and what each answer is counted as.
 * {@link RawFilesTests} covers what {@link RawFiles} does with its answers.
 */
class RawHttpTests {

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private RawHttp http = new RawHttp(GitHubTesting.properties(Map.of()), this.meters);

	@AfterEach
	void stop() {
		this.http.close();
		this.github.close();
	}

	@Test
	void aBodyWithoutALengthIsReadWholeUpToTheCapAndItsAnswerCounted() {
		RawHttp.Answer answer = this.http.get(URI.create(this.github.rawBaseUrl() + "/_chunked/100000"), 100_000);

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.headers().firstValue("content-length")).isEmpty();
		assertThat(answer.body()).hasSize(100_000);
		assertThat(count("200")).isOne();
	}

	@Test
	void aBodyWithoutALengthIsCutOffOneByteOverTheCapAndCountedAsTooLarge() {
		assertThatExceptionOfType(GitHubException.Unavailable.class)
			.isThrownBy(() -> this.http.get(URI.create(this.github.rawBaseUrl() + "/_chunked/100001"), 100_000))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("too-large"));
		assertThat(count("too-large")).isOne();
		assertThat(count("200")).isZero();
	}

	@Test
	void anAnswerThatTakesLongerThanTheDeadlineIsATransientTimeout() {
		this.github.close();
		this.github = GitHubSim
			.start(SimOptions.defaults().withFaults(SimFaults.none().withRawLatency(Duration.ofSeconds(10))));
		this.http.close();
		this.http = new RawHttp(GitHubTesting.properties(Map.of("connect-timeout", "200ms", "read-timeout", "300ms")),
				this.meters);

		assertThatExceptionOfType(GitHubException.Transient.class)
			.isThrownBy(() -> this.http.get(URI.create(this.github.rawBaseUrl() + "/octocat/1/raw/2/slow.txt"), 100));
		assertThat(count("timeout")).isOne();
	}

	@Test
	void aHostThatRefusesConnectionsIsATransientIoError() {
		String base = this.github.rawBaseUrl();
		this.github.close();

		assertThatExceptionOfType(GitHubException.Transient.class)
			.isThrownBy(() -> this.http.get(URI.create(base + "/_chunked/10"), 100));
		assertThat(count("io-error")).isOne();
	}

	@Test
	void aRequestIsAnHttp11GetWithTheWorkersUserAgentAndNothingElseOfItsOwn() throws Exception {
		List<String> requestLines = new CopyOnWriteArrayList<>();
		List<Headers> received = new CopyOnWriteArrayList<>();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", (exchange) -> {
			requestLines.add(exchange.getRequestMethod() + " " + exchange.getProtocol());
			received.add(exchange.getRequestHeaders());
			byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		try {
			RawHttp.Answer answer = this.http
				.get(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/octocat/1/raw/2/a.txt"), 100);

			assertThat(answer.body()).asString(StandardCharsets.UTF_8).isEqualTo("ok");
			assertThat(requestLines).containsExactly("GET HTTP/1.1");
			Headers headers = received.getFirst();
			assertThat(headers.getFirst("User-Agent")).isEqualTo(GitHubTesting.properties(Map.of()).userAgent());
			assertThat(headers).as("no compression asked for: the cap counts the bytes as they come")
				.doesNotContainKey("Accept-encoding");
			assertThat(headers).doesNotContainKeys("Authorization", "Cookie", "Upgrade");
		}
		finally {
			server.stop(0);
		}
	}

	private double count(String status) {
		return this.meters.counter("gistgrep.github.requests", "kind", "raw", "status", status).count();
	}

}
