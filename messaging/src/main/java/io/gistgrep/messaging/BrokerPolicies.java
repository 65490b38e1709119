package io.gistgrep.messaging;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.gistgrep.common.task.Queues;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Applies the broker's protection as RabbitMQ policies, through the management API, when
 * an app starts (both apps do; the last one wins, so give them the same settings):
 * <ul>
 * <li>{@value #SCAN_POLICY}: the scan queue holds at most
 * {@code gistgrep.broker.scan-queue-max-length} messages and refuses publishes beyond
 * ({@code overflow: reject-publish}), so that a flood of jobs fills the outbox in
 * PostgreSQL instead of the broker's memory. The relay backs off on the nacks
 * ({@link OutboxRelay}).</li>
 * <li>{@value #DEAD_POLICY}: a delivery limit of {@value #DEAD_DELIVERY_LIMIT} on the
 * dead-letter queue, whose consumer requeues a letter while PostgreSQL is away: RabbitMQ
 * 4's default limit (20) would otherwise drop letters during a long outage.</li>
 * </ul>
 * Policies, not queue arguments: redeclaring an existing queue with new arguments fails
 * with {@code PRECONDITION_FAILED}, whereas a policy changes a live queue. The work
 * queues' own delivery limit stays a queue argument ({@link Topology}). Without the
 * management plugin (or rights to set policies) the app logs a warning and starts anyway,
 * unprotected.
 */
@Component
class BrokerPolicies {

	static final String SCAN_POLICY = "gistgrep-scan-queue-limit";

	static final String DEAD_POLICY = "gistgrep-dead-letter-limit";

	/** High enough that no outage of PostgreSQL reaches it. */
	static final int DEAD_DELIVERY_LIMIT = 1_000_000;

	private static final Logger log = LoggerFactory.getLogger(BrokerPolicies.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final BrokerProperties properties;

	private final String managementUrl;

	private final String vhost;

	private final String authorization;

	BrokerPolicies(BrokerProperties properties, Environment environment) {
		this.properties = properties;
		String url = orElse(properties.managementUrl(),
				"http://" + environment.getProperty("spring.rabbitmq.host", "localhost") + ":15672");
		this.managementUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
		this.vhost = environment.getProperty("spring.rabbitmq.virtual-host", "/");
		String user = orElse(properties.managementUsername(),
				environment.getProperty("spring.rabbitmq.username", "guest"));
		String password = orElse(properties.managementPassword(),
				environment.getProperty("spring.rabbitmq.password", "guest"));
		this.authorization = "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	@EventListener(ApplicationReadyEvent.class)
	void applyAtStart() {
		try {
			apply();
		}
		catch (RuntimeException ex) {
			log.warn(
					"Could not set the broker's policies through {} ({}); the scan queue has no length limit "
							+ "and the dead letters RabbitMQ's default delivery limit",
					this.managementUrl, ex.getMessage());
		}
	}

	/** Puts both policies on this app's virtual host. */
	void apply() {
		put(SCAN_POLICY, Queues.SCAN_GIST,
				Map.of("max-length", this.properties.scanQueueMaxLength(), "overflow", "reject-publish"));
		put(DEAD_POLICY, Topology.DEAD_LETTER_QUEUE, Map.of("delivery-limit", DEAD_DELIVERY_LIMIT));
		log.info("Broker policies set on vhost {}: {} holds at most {} messages (reject-publish)", this.vhost,
				Queues.SCAN_GIST, this.properties.scanQueueMaxLength());
	}

	private void put(String name, String queue, Map<String, Object> definition) {
		Map<String, Object> policy = new LinkedHashMap<>();
		policy.put("pattern", "^" + queue.replace(".", "\\.") + "$");
		policy.put("apply-to", "queues");
		// Above a default-priority policy an operator may have, which would otherwise
		// win.
		policy.put("priority", 10);
		policy.put("definition", definition);
		String path = "/api/policies/" + encode(this.vhost) + "/" + encode(name);
		// HTTP/1.1: the JDK client's h2c upgrade attempt on a PUT is dropped by
		// RabbitMQ's web server.
		try (HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build()) {
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.managementUrl + path))
				.header("Authorization", this.authorization)
				.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(policy)))
				.timeout(Duration.ofSeconds(10))
				.build();
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() >= 300) {
				throw new IllegalStateException("PUT " + path + " answered " + response.statusCode() + ": "
						+ response.body().substring(0, Math.min(200, response.body().length())));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("RabbitMQ's management API did not answer PUT " + path, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String orElse(@Nullable String value, String fallback) {
		return (value == null || value.isBlank()) ? fallback : value;
	}

	private static String encode(String segment) {
		return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
