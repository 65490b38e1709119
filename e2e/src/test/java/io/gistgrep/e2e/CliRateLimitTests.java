package io.gistgrep.e2e;

import java.util.Map;

import io.gistgrep.api.ApiApplication;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client when the api rate-limits it: an api of this class's own (no worker needed)
 * that allows six reads a minute, one every ten seconds.
 */
class CliRateLimitTests {

	private static final String KEY = "ggk_clilimits" + "0".repeat(40);

	private static ConfigurableApplicationContext api;

	private static ApiCalls calls;

	private static Cli cli;

	@BeforeAll
	static void startTheApi() {
		Map<String, String> services = TestServices.get().isolated("clilimits");
		api = new SpringApplicationBuilder(ApiApplication.class).run(Stack.args(services, "--server.port=0",
				"--management.server.port=0", "--spring.application.name=cli-limits-api",
				"--gistgrep.bootstrap-api-keys=limits:" + KEY, "--gistgrep.rate-limit.reads-per-minute=6"));
		String url = "http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort();
		calls = new ApiCalls(url, KEY);
		cli = new Cli(url, KEY);
	}

	@AfterAll
	static void stopTheApi() {
		api.close();
	}

	@Test
	void rateLimitedTheClientWaitsAsRetryAfterSaysAndTriesAgain() {
		String id = calls.submit("octocat", "TODO");
		useUpTheReads();

		Cli.Result result = cli.run("status", id);

		assertThat(result.status()).as(result.toString()).isZero();
		assertThat(result.out()).contains("job       " + id);
		assertThat(result.err()).matches("(?s)gistgrep: rate limited by the server \\(.+\\); retrying in ([1-9]|10) s, "
				+ "or Ctrl-C to stop; --no-retry fails at once instead\n");
	}

	@Test
	void withNoRetryARateLimitFailsAtOnceInOneLine() {
		String id = calls.submit("octocat", "TODO");
		useUpTheReads();

		Cli.Result result = cli.run("--no-retry", "status", id);

		assertThat(result.status()).as(result.toString()).isEqualTo(2);
		assertThat(result.out()).isEmpty();
		assertThat(result.err().lines()).singleElement().asString().startsWith("gistgrep: Too Many Requests: ");
	}

	/** Reads until the api says 429: the next read is then ten seconds away. */
	private static void useUpTheReads() {
		for (int i = 0; i < 20; i++) {
			if (calls.get("/jobs?limit=1").status() == 429) {
				return;
			}
		}
		throw new AssertionError("20 reads and no 429: is the read limit on?");
	}

}
