package io.gistgrep.worker.deadletter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.gistgrep.db.deadletter.DeadLetter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * Reads where a dead letter came from out of the broker's {@code x-death} header.
 * <ul>
 * <li>The first entry is the latest dead-lettering, the one that brought the message to
 * the dead-letter exchange: its queue is the work queue that gave up (earlier entries are
 * the delay queues a retried task expired from, with the reason {@code expired}).</li>
 * <li>The fingerprint covers the message id, the body and the {@code x-death} history,
 * which a redelivery from the dead-letter queue keeps, but not {@code x-delivery-count},
 * which a quorum queue adds on redelivery. A message re-driven and dead-lettered again
 * has a new message id (a new outbox row), so it is a new letter.</li>
 * </ul>
 */
final class Letters {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int MAX_HEADERS = 8_000;

	private static final String UNKNOWN = "unknown";

	private Letters() {
	}

	static DeadLetter.Arrival arrival(Message message, Instant now) {
		MessageProperties properties = message.getMessageProperties();
		List<Map<String, ?>> deaths = properties.getXDeathHeader();
		Map<String, ?> latest = (deaths != null && !deaths.isEmpty()) ? deaths.getFirst() : Map.of();
		String queue = text(latest.get("queue"), properties.getReceivedRoutingKey());
		String routingKey = routingKey(latest, properties);
		Instant deadAt = (latest.get("time") instanceof Date time) ? time.toInstant() : now;
		long count = (latest.get("count") instanceof Number number) ? number.longValue() : 1;
		Object history = normalized(deaths != null ? deaths : List.of());
		return new DeadLetter.Arrival(fingerprint(properties.getMessageId(), message.getBody(), history), queue,
				routingKey, text(latest.get("reason"), UNKNOWN), properties.getContentType(), message.getBody(),
				headers(properties), count, deadAt, now);
	}

	/** The key the message was first published with, which routes it to its queue. */
	private static String routingKey(Map<String, ?> death, MessageProperties properties) {
		if (death.get("routing-keys") instanceof List<?> keys && !keys.isEmpty()) {
			return String.valueOf(keys.getFirst());
		}
		return text(properties.getReceivedRoutingKey(), UNKNOWN);
	}

	private static String text(Object value, String fallback) {
		return (value != null && !String.valueOf(value).isEmpty()) ? String.valueOf(value) : fallback;
	}

	private static String headers(MessageProperties properties) {
		Map<String, Object> summary = new TreeMap<>();
		properties.getHeaders().forEach((name, value) -> summary.put(name, normalized(value)));
		if (properties.getMessageId() != null) {
			summary.put("message_id", properties.getMessageId());
		}
		String json = JSON.writeValueAsString(summary);
		return (json.length() > MAX_HEADERS) ? json.substring(0, MAX_HEADERS) + "…" : json;
	}

	/**
	 * A header value as plain JSON values, the same in every worker whatever its time
	 * zone: instants as ISO-8601, maps sorted.
	 */
	private static Object normalized(Object value) {
		return switch (value) {
			case null -> "null";
			case Date date -> date.toInstant().toString();
			case Map<?, ?> map -> {
				Map<String, Object> sorted = new TreeMap<>();
				map.forEach((key, item) -> sorted.put(String.valueOf(key), normalized(item)));
				yield sorted;
			}
			case List<?> list -> {
				List<Object> items = new ArrayList<>();
				list.forEach((item) -> items.add(normalized(item)));
				yield items;
			}
			case Number number -> number;
			case Boolean bool -> bool;
			default -> String.valueOf(value);
		};
	}

	private static byte[] fingerprint(String messageId, byte[] body, Object history) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(String.valueOf(messageId).getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(body);
			digest.update((byte) 0);
			digest.update(JSON.writeValueAsBytes(history));
			return digest.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}
