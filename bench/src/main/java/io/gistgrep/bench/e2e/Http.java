package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The benchmark's HTTP/1.1 client (the JDK's), and JSON. */
final class Http implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** How many times {@link #getBytes} sends a GET at most. */
	static final int GET_ATTEMPTS = 3;

	private final AtomicLong retriedGets = new AtomicLong();

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	HttpResponse<String> send(HttpRequest request) {
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/**
	 * A GET's answer as bytes. Tried again (at most {@link #GET_ATTEMPTS} times in all)
	 * when the connection fails: the JDK's HTTP server closes kept-alive connections it
	 * finds idle, and a request sent on one just as it closes gets no answer ("header
	 * parser received no bytes"); a GET is safe to send again. Counted by
	 * {@link #retriedGets()}.
	 */
	HttpResponse<byte[]> getBytes(HttpRequest request) {
		for (int attempt = 1;; attempt++) {
			try {
				return this.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
			}
			catch (IOException ex) {
				if (attempt >= GET_ATTEMPTS) {
					throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", ex);
				}
				this.retriedGets.incrementAndGet();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted", ex);
			}
		}
	}

	/** GETs sent again after a failed connection ({@link #getBytes}). */
	long retriedGets() {
		return this.retriedGets.get();
	}

	/** Closes the client's connections, once its requests have ended. */
	@Override
	public void close() {
		this.client.close();
	}

	/** The status of a GET, empty when nothing answers. */
	Optional<HttpResponse<String>> tryGet(String url) {
		try {
			return Optional
				.of(this.client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.ofString()));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	static HttpRequest.Builder request(String url) {
		return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}
