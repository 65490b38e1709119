package io.gistgrep.api.ratelimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import io.gistgrep.testing.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limiter fails open: with Redis at a port where nothing listens, and limits of 1 a
 * minute that would refuse the second request, submissions and reads still go through,
 * unchecked, counted and logged.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=-1", "gistgrep.rate-limit.jobs-per-minute=1",
				"gistgrep.rate-limit.reads-per-minute=1", "gistgrep.bootstrap-api-keys=down:" + RedisDownTests.KEY })
class RedisDownTests {

	static final String KEY = "ggk_down00000000000000000000000000000000000000000";

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		String nowhere = Integer.toString(freePort());
		TestServices.get()
			.properties()
			.forEach((key, value) -> registry.add(key, () -> key.equals("spring.data.redis.port") ? nowhere : value));
	}

	@Test
	void withRedisDownSubmissionsAndReadsGoThroughUncheckedCountedAndLogged(CapturedOutput output) {
		double before = unchecked("jobs") + unchecked("reads");
		Instant start = Instant.now();
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> submitted = Calls.submit(this.port, KEY);
			assertThat(submitted.statusCode()).isEqualTo(202);
			assertThat(submitted.headers().firstValue("RateLimit")).isEmpty();
			HttpResponse<String> read = Calls.list(this.port, KEY);
			assertThat(read.statusCode()).isEqualTo(200);
			assertThat(read.headers().firstValue("RateLimit")).isEmpty();
		}
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
		assertThat(unchecked("jobs") + unchecked("reads")).isEqualTo(before + 6);
		assertThat(output.getAll()).contains("Redis did not answer the rate limiter");
	}

	private double unchecked(String limit) {
		var counter = this.meters.find("gistgrep.ratelimit.unchecked").tag("limit", limit).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
