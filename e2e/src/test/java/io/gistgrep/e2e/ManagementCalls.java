package io.gistgrep.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management endpoints of an app running in this JVM, on its management port
 * ({@code local.management.port}): the Prometheus scrape and the health probes.
 */
final class ManagementCalls {

	private static final HttpClient http = HttpClient.newHttpClient();

	private ManagementCalls() {
	}

	/** {@code /actuator/prometheus}, in Prometheus' text format; it must answer 200. */
	static String scrape(ConfigurableApplicationContext app) {
		HttpResponse<String> response = send(app, "/actuator/prometheus", HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	/** The status of {@code /actuator/health/<probe>}; -1 when nothing answers. */
	static int probe(ConfigurableApplicationContext app, String probe) {
		try {
			return send(app, "/actuator/health/" + probe, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (UncheckedIOException ex) {
			return -1;
		}
	}

	private static <T> HttpResponse<T> send(ConfigurableApplicationContext app, String path,
			HttpResponse.BodyHandler<T> body) {
		String port = app.getEnvironment().getProperty("local.management.port");
		try {
			return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
