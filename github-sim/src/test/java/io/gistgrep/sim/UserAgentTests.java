package io.gistgrep.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserAgentTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	@AfterEach
	void close() {
		this.github.close();
	}

	@Test
	void anApiRequestWithoutAUserAgentIsForbiddenAsGitHubForbidsIt() throws IOException {
		String response = rawGet(this.github.apiUrl(), "/users/synthetic-1/gists", null);

		assertThat(response).startsWith("HTTP/1.1 403 ")
			.containsIgnoringCase("content-type: text/html")
			.contains(
					"Request forbidden by administrative rules. Please make sure your request has a User-Agent header")
			.doesNotContainIgnoringCase("x-ratelimit-remaining");
		assertThat(this.github.counters().missingUserAgent()).isEqualTo(1);
		assertThat(this.github.counters().quotaCounted()).isZero();
	}

	@Test
	void anApiRequestWithAUserAgentIsAnswered() throws IOException {
		String response = rawGet(this.github.apiUrl(), "/users/synthetic-1/gists", "gistgrep-test");

		assertThat(response).startsWith("HTTP/1.1 200 ");
		assertThat(this.github.counters().missingUserAgent()).isZero();
	}

	@Test
	void theCheckCanBeTurnedOff() throws IOException {
		try (GitHubSim lenient = GitHubSim.start(SimOptions.defaults().withRequireUserAgent(false))) {
			assertThat(rawGet(lenient.apiUrl(), "/users/synthetic-1/gists", null)).startsWith("HTTP/1.1 200 ");
		}
	}

	@Test
	void theRawHostAsksForNoUserAgent() throws IOException {
		String rawUrl = this.github.rawBaseUrl() + "/synthetic-1/"
				+ this.github.user("synthetic-1").orElseThrow().gists().get(0).id() + "/raw/"
				+ this.github.user("synthetic-1").orElseThrow().gists().get(0).files().get(0).filename();

		URI uri = URI.create(rawUrl);
		assertThat(rawGet(this.github.rawBaseUrl(), uri.getRawPath(), null)).startsWith("HTTP/1.1 200 ");
	}

	/**
	 * A GET written by hand: {@code java.net.http} always sends a {@code User-Agent}.
	 */
	private static String rawGet(String baseUrl, String path, String userAgent) throws IOException {
		URI base = URI.create(baseUrl);
		try (Socket socket = new Socket(base.getHost(), base.getPort())) {
			String request = "GET " + path + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n"
					+ ((userAgent != null) ? "User-Agent: " + userAgent + "\r\n" : "") + "Connection: close\r\n\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
