package io.gistgrep.worker.github;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import org.springframework.stereotype.Component;

/**
 * Sends the raw host's GETs ({@link RawFiles}): gist files' bytes, two or so per gist,
 * the worker's most frequent request by far. With the worker's {@code User-Agent}, no
 * cookies, no content decoding (no {@code Accept-Encoding} is sent, as before), never
 * following a redirect itself ({@link RawFiles} follows them hop by hop, each to an
 * allowed host), within a deadline for the whole exchange, and never reading more than a
 * cap: a {@code content-length} over it fails before the body is read, and a body without
 * one fails as soon as the cap is passed; either way the exchange is aborted. Every
 * answer, timeout and I/O error is counted as {@link GitHubHttp} counts the API's.
 * <p>
 * Jetty's HTTP client rather than the JDK's, which the API calls keep
 * ({@link GitHubHttp}): fetching github-sim's files with 8 to 32 requests in flight, it
 * used about half the CPU per request (85–166 µs against 236–337 µs, C1 as the workers
 * run), and the JDK's client was the largest share of the worker's CPU during a big job.
 * Over {@code https} it offers HTTP/2, then HTTP/1.1, through ALPN, so that the requests
 * in flight to GitHub's raw host share one connection as streams (a TLS host that does
 * not negotiate at all is spoken to in HTTP/2); over plain {@code http} (github-sim,
 * tests) it speaks HTTP/1.1. Its tasks run on virtual threads.
 */
@Component
class RawHttp implements AutoCloseable {

	private final GitHubProperties properties;

	private final MeterRegistry meters;

	private final HttpClient http;

	RawHttp(GitHubProperties properties, MeterRegistry meters) {
		this.properties = properties;
		this.meters = meters;
		ClientConnector connector = new ClientConnector();
		connector.setConnectTimeout(properties.connectTimeout());
		// HTTP/2 first: over TLS, ALPN offers it before HTTP/1.1. Plain http requests
		// ask for HTTP/1.1 themselves (see get), as the transport would otherwise speak
		// HTTP/2 without negotiation there.
		HttpClientTransport transport = new HttpClientTransportDynamic(connector,
				new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)),
				HttpClientConnectionFactory.HTTP11);
		this.http = new HttpClient(transport);
		this.http.setExecutor(new VirtualThreadPool());
		// Its timer thread must not keep a JVM alive that forgot to close this client.
		this.http.setScheduler(new ScheduledExecutorScheduler("raw-http-scheduler", true));
		this.http.setConnectTimeout(properties.connectTimeout().toMillis());
		this.http.setIdleTimeout(properties.readTimeout().toMillis());
		this.http.setFollowRedirects(false);
		this.http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, properties.userAgent()));
		this.http.setHttpCookieStore(new HttpCookieStore.Empty());
		try {
			this.http.start();
		}
		catch (Exception ex) {
			throw new IllegalStateException("The raw host's HTTP client did not start", ex);
		}
		// After the start, which installs the defaults: no content decoders (so no
		// Accept-Encoding is sent, and the cap counts the bytes as they come), and no
		// protocol handlers (redirects, authentication, 100-continue).
		this.http.getContentDecoderFactories().clear();
		this.http.getProtocolHandlers().clear();
	}

	/**
	 * A GET of {@code uri}, its body read whole unless it is larger than {@code cap}.
	 * @throws GitHubException.Unavailable when the body is larger than {@code cap}
	 * @throws GitHubException.Transient on a timeout, an I/O error or an interrupt
	 */
	Answer get(URI uri, long cap) {
		long deadline = this.properties.readTimeout().toMillis() + this.properties.connectTimeout().toMillis();
		Request request = this.http.newRequest(uri);
		if (!"https".equalsIgnoreCase(uri.getScheme())) {
			// Plain http: HTTP/1.1, not HTTP/2 without negotiation (h2c), which the
			// simulator does not speak. Over https the version is left to ALPN.
			request.version(HttpVersion.HTTP_1_1);
		}
		request.timeout(deadline, TimeUnit.MILLISECONDS)
			.idleTimeout(this.properties.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
		Capped body = new Capped(cap);
		request.send(body);
		try {
			Answer answer = body.result.get();
			count(Integer.toString(answer.status()));
			return answer;
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof TooLarge) {
				count("too-large");
				throw new GitHubException.Unavailable("too-large", "file is larger than " + cap + " bytes");
			}
			// The deadline and the idle timeout fail with a TimeoutException, a
			// connection that does not open in time with a SocketTimeoutException.
			count((cause instanceof TimeoutException || cause instanceof SocketTimeoutException) ? "timeout"
					: "io-error");
			throw new GitHubException.Transient("raw request to " + uri.getHost() + " failed: " + cause, cause);
		}
		catch (InterruptedException ex) {
			request.abort(ex);
			Thread.currentThread().interrupt();
			throw new GitHubException.Transient("Interrupted", ex);
		}
	}

	@Override
	public void close() {
		try {
			this.http.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException("The raw host's HTTP client did not stop", ex);
		}
	}

	private void count(String status) {
		this.meters.counter("gistgrep.github.requests", "kind", "raw", "status", status).increment();
	}

	/**
	 * The headers an {@link Answer} keeps: those {@link RawFiles} and
	 * {@link GitHubAnswer} read of a raw host's answer. Copying all of them into
	 * {@link HttpHeaders} took about 1.5 % of the worker's CPU during a big job.
	 */
	private static final List<HttpHeader> KEPT_HEADERS = List.of(HttpHeader.LOCATION, HttpHeader.RETRY_AFTER,
			HttpHeader.CONTENT_LENGTH, HttpHeader.CONTENT_TYPE);

	/**
	 * A raw host's answer.
	 *
	 * @param status the HTTP status
	 * @param headers its headers, those of {@link #KEPT_HEADERS} only
	 * @param body its body, whole
	 */
	record Answer(int status, HttpHeaders headers, byte[] body) {

	}

	/** The body was over the cap. */
	static final class TooLarge extends IOException {

		TooLarge(long cap) {
			super("body is larger than " + cap + " bytes");
		}

	}

	/**
	 * Reads a response's body into bytes, up to a cap, into an array of the body's
	 * {@code content-length} when it has one (no copy at the end). Written by hand:
	 * Jetty's {@code BufferingResponseListener} caps too, but fails with an
	 * {@code IllegalArgumentException} that cannot be told apart from others, and copies.
	 */
	private static final class Capped implements Response.Listener {

		final CompletableFuture<Answer> result = new CompletableFuture<>();

		private final long cap;

		private byte[] bytes = new byte[0];

		private int received;

		Capped(long cap) {
			// An array holds at most about Integer.MAX_VALUE bytes.
			this.cap = Math.min(cap, Integer.MAX_VALUE - 8);
		}

		@Override
		public void onHeaders(Response response) {
			long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
			if (length > this.cap) {
				response.abort(new TooLarge(this.cap));
			}
			else if (length >= 0) {
				this.bytes = new byte[(int) length];
			}
		}

		@Override
		public void onContent(Response response, ByteBuffer content) {
			int size = content.remaining();
			if (this.received + (long) size > this.cap) {
				response.abort(new TooLarge(this.cap));
				return;
			}
			if (this.received + size > this.bytes.length) {
				// No content-length, or more than it said: grow, within the cap.
				long grown = Math.max(this.received + (long) size, Math.max(8192, 2L * this.bytes.length));
				this.bytes = Arrays.copyOf(this.bytes, (int) Math.min(grown, this.cap));
			}
			content.get(this.bytes, this.received, size);
			this.received += size;
		}

		@Override
		public void onComplete(Result result) {
			if (result.isFailed()) {
				this.result.completeExceptionally(result.getFailure());
				return;
			}
			Response response = result.getResponse();
			Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			for (HttpHeader kept : KEPT_HEADERS) {
				List<String> values = response.getHeaders().getValuesList(kept);
				if (!values.isEmpty()) {
					headers.put(kept.asString(), values);
				}
			}
			byte[] body = (this.received == this.bytes.length) ? this.bytes : Arrays.copyOf(this.bytes, this.received);
			this.result
				.complete(new Answer(response.getStatus(), HttpHeaders.of(headers, (name, value) -> true), body));
		}

	}

}
