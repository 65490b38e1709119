package io.gistgrep.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client pointed at something that is not a gistgrep api (a proxy that redirects to
 * https, a web page): one line that says so, exit 2, never a stack trace or an endless
 * wait. The real api is met in the e2e module's tests.
 */
class WrongServerTests {

	private HttpServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	@Test
	void aRedirectIsNotFollowedAndItsTargetIsNamed() throws IOException {
		String url = serve(301, "Location", "https://gistgrep.example/jobs", "");

		Result result = run(url, "search", "octocat", "TODO", "--no-wait");

		assertThat(result.status()).isEqualTo(2);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).isEqualTo("gistgrep: Redirected: the server sends the client to "
				+ "https://gistgrep.example/jobs; give that address as --url (GISTGREP_URL)\n");
	}

	@Test
	void aWebPageIsNotAGistgrepApi() throws IOException {
		String url = serve(200, "Content-Type", "text/html", "<html><body>Welcome</body></html>");

		Result result = run(url, "status", "0b8f");

		assertThat(result.status()).isEqualTo(2);
		assertThat(result.err()).startsWith("gistgrep: the server at " + url + " did not answer with JSON (")
			.endsWith("); check --url (GISTGREP_URL)\n")
			.hasLineCount(1);
	}

	@Test
	void jsonThatIsNotAJobIsNotTakenForOne() throws IOException {
		String url = serve(202, "Content-Type", "application/json", "{\"hello\":\"world\"}");

		Result result = run(url, "search", "octocat", "TODO", "--no-wait");

		assertThat(result.status()).isEqualTo(2);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).isEqualTo(
				"gistgrep: the server at " + url + " did not answer with a gistgrep job; check --url (GISTGREP_URL)\n");
	}

	@Test
	void aUserAndPasswordInTheUrlAreNeverShown() {
		Result result = run("http://admin:s3cret@127.0.0.1:9", "jobs");

		assertThat(result.status()).isEqualTo(2);
		assertThat(result.err()).startsWith("gistgrep: cannot reach the gistgrep server at http://127.0.0.1:9 (")
			.doesNotContain("s3cret");
	}

	/** Answers every request with {@code status}, one header and {@code body}. */
	private String serve(int status, String header, String value, String body) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (exchange) -> {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add(header, value);
			exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
			exchange.getResponseBody().write(bytes);
			exchange.close();
		});
		this.server.start();
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private static Result run(String url, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = Main.run(Map.of("GISTGREP_URL", url, "GISTGREP_API_KEY", "ggk_test"),
				new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), args);
		return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private record Result(int status, String out, String err) {

	}

}
