package io.gistgrep.worker.webhook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.gistgrep.common.webhook.WebhookUrls;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import org.springframework.stereotype.Component;

/**
 * Posts one webhook to the addresses that were checked: the client's DNS resolver answers
 * the URL's host with exactly those, so a second lookup cannot be rebound to a private
 * address, while TLS still verifies the certificate against the host name. Redirects are
 * not followed.
 */
@Component
class WebhookSender {

	/**
	 * What the receiver answered: a status (with its Retry-After, if any), or no answer.
	 */
	record Outcome(Optional<Integer> status, Optional<Duration> retryAfter, Optional<String> error, long latencyMs) {

		boolean delivered() {
			return this.status.isPresent() && this.status.get() >= 200 && this.status.get() < 300;
		}

	}

	Outcome post(WebhookUrls.Checked target, String id, long timestamp, String signature, String body,
			Duration timeout) {
		InetAddress[] pinned = target.addresses().toArray(InetAddress[]::new);
		DnsResolver resolver = new DnsResolver() {
			@Override
			public InetAddress[] resolve(String host) throws UnknownHostException {
				if (host.equalsIgnoreCase(target.host())) {
					return pinned;
				}
				throw new UnknownHostException(host + " was not checked");
			}

			@Override
			public String resolveCanonicalHostname(String host) {
				return host;
			}
		};
		Timeout limit = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
		PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setDnsResolver(resolver)
			.setDefaultConnectionConfig(
					ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit).build())
			.build();
		long started = System.nanoTime();
		try (CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(connections)
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(limit).build())
			.build()) {
			HttpPost post = new HttpPost(target.uri());
			post.setHeader("webhook-id", id);
			post.setHeader("webhook-timestamp", Long.toString(timestamp));
			post.setHeader("webhook-signature", signature);
			post.setHeader("User-Agent", "gistgrep-webhooks/0.1");
			post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
			return client.execute(post, (response) -> {
				EntityUtils.consume(response.getEntity());
				Header retryAfter = response.getFirstHeader("Retry-After");
				return new Outcome(Optional.of(response.getCode()), retryAfter(retryAfter), Optional.empty(),
						elapsed(started));
			});
		}
		catch (IOException ex) {
			return new Outcome(Optional.empty(), Optional.empty(),
					Optional.of(ex.getClass().getSimpleName() + ": " + ex.getMessage()), elapsed(started));
		}
	}

	private static Optional<Duration> retryAfter(Header header) {
		if (header == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.getValue().trim()))));
		}
		catch (NumberFormatException ex) {
			// An HTTP-date Retry-After: parsed by the JDK's RFC 1123 formatter.
			try {
				java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(header.getValue().trim(),
						java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
				return Optional.of(Duration.between(java.time.Instant.now(), at.toInstant()));
			}
			catch (java.time.DateTimeException unreadable) {
				return Optional.empty();
			}
		}
	}

	private static long elapsed(long started) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
	}

}
