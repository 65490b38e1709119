package io.gistgrep.worker.github;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Sends the worker's HTTP requests to GitHub's hosts: with the worker's
 * {@code User-Agent}, never following a redirect itself (it could carry a token
 * elsewhere; {@link RawFiles} follows raw redirects hop by hop), within the per-host
 * concurrency bound, and within a deadline for the whole exchange, body included. Every
 * answer, timeout and I/O error is counted by kind and status.
 * <p>
 * One client for the whole worker, so connections are kept alive and reused across
 * requests, tasks and jobs. Over {@code https} it asks for HTTP/2 (ALPN; a host that does
 * not speak it gets HTTP/1.1 on the same connection), so the requests in flight to
 * GitHub's raw host share one connection as streams. Over plain {@code http} (github-sim,
 * tests) it speaks HTTP/1.1 only: asked for HTTP/2 there, the JDK's client sends every
 * request with an {@code Upgrade: h2c} offer that a server may take or refuse, for
 * nothing.
 */
@Component
class GitHubHttp {

	private final GitHubProperties properties;

	private final HostLimiter hosts;

	private final MeterRegistry meters;

	private final HttpClient http;

	GitHubHttp(GitHubProperties properties, HostLimiter hosts, MeterRegistry meters) {
		this.properties = properties;
		this.hosts = hosts;
		this.meters = meters;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_2)
			.connectTimeout(properties.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(Executors.newVirtualThreadPerTaskExecutor())
			.build();
	}

	/** A GET of {@code uri} with the read timeout and the worker's User-Agent. */
	HttpRequest.Builder get(URI uri) {
		return HttpRequest.newBuilder(uri)
			.version(version(uri))
			.timeout(this.properties.readTimeout())
			.header("User-Agent", this.properties.userAgent())
			.GET();
	}

	/**
	 * Sends within the host's concurrency bound and a deadline for the whole exchange.
	 * @throws GitHubException.Transient on a timeout, an I/O error or an interrupt
	 */
	<T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String kind) {
		try (HostLimiter.Permit permit = this.hosts.acquire(request.uri())) {
			return exchange(request, handler, kind);
		}
	}

	/**
	 * Sends within a deadline for the whole exchange, for a caller that holds the host's
	 * permit already (it took the permit before the content host's shared lease, so that
	 * it never holds a shared slot while waiting for a local one).
	 * @throws GitHubException.Transient on a timeout, an I/O error or an interrupt
	 */
	<T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String kind) {
		String host = request.uri().getHost();
		CompletableFuture<HttpResponse<T>> future = this.http.sendAsync(request, handler);
		try {
			HttpResponse<T> response = future.get(
					this.properties.readTimeout().toMillis() + this.properties.connectTimeout().toMillis(),
					TimeUnit.MILLISECONDS);
			count(kind, Integer.toString(response.statusCode()));
			return response;
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			count(kind, "timeout");
			throw new GitHubException.Transient(kind + " request to " + host + " timed out", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			count(kind, (cause instanceof HttpTimeoutException) ? "timeout" : "io-error");
			throw new GitHubException.Transient(kind + " request to " + host + " failed: " + cause, cause);
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			Thread.currentThread().interrupt();
			throw new GitHubException.Transient("Interrupted", ex);
		}
	}

	/**
	 * Closes the client, once its exchanges are done: for a client made for a while
	 * ({@link Rehearsal}); the worker's own lives as long as the worker.
	 */
	void close() {
		this.http.close();
	}

	/** HTTP/2 where it is negotiated (TLS), HTTP/1.1 on plain connections. */
	static HttpClient.Version version(URI uri) {
		return "https".equalsIgnoreCase(uri.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
	}

	private void count(String kind, String status) {
		this.meters.counter("gistgrep.github.requests", "kind", kind, "status", status).increment();
	}

}
