package io.gistgrep.sim;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * URL and header chores the JDK's HTTP server leaves to its handlers.
 */
final class Http {

	private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

	private Http() {
	}

	/**
	 * Percent-encodes a path segment: every byte of its UTF-8 form other than an
	 * unreserved character, so a space becomes {@code %20}.
	 */
	static String encodePathSegment(String segment) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if (c < 0x80 && UNRESERVED.indexOf(c) >= 0) {
				encoded.append((char) c);
			}
			else {
				encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
			}
		}
		return encoded.toString();
	}

	/**
	 * Splits a raw path into percent-decoded segments; empty if an escape is malformed. A
	 * {@code +} stays a plus: only queries use it for a space.
	 */
	static Optional<List<String>> segments(String rawPath) {
		List<String> segments = new ArrayList<>();
		String trimmed = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
		for (String raw : trimmed.split("/", -1)) {
			Optional<String> decoded = decodePathSegment(raw);
			if (decoded.isEmpty()) {
				return Optional.empty();
			}
			segments.add(decoded.get());
		}
		return Optional.of(segments);
	}

	private static Optional<String> decodePathSegment(String raw) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				if (i + 2 >= raw.length() || !HexFormat.isHexDigit(raw.charAt(i + 1))
						|| !HexFormat.isHexDigit(raw.charAt(i + 2))) {
					return Optional.empty();
				}
				bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
				i += 2;
			}
			else {
				bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
			}
		}
		return Optional.of(bytes.toString(StandardCharsets.UTF_8));
	}

	/**
	 * The query parameters; the first of repeated names wins.
	 */
	static Map<String, String> query(@Nullable String rawQuery) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (rawQuery == null || rawQuery.isEmpty()) {
			return parameters;
		}
		for (String pair : rawQuery.split("&")) {
			int equals = pair.indexOf('=');
			String name = (equals < 0) ? pair : pair.substring(0, equals);
			String value = (equals < 0) ? "" : pair.substring(equals + 1);
			try {
				parameters.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
						URLDecoder.decode(value, StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException ex) {
				// A malformed escape: GitHub ignores what it cannot read.
			}
		}
		return parameters;
	}

	/**
	 * Whether an {@code If-None-Match} header names the entity tag, comparing weakly as
	 * RFC 9110 asks of {@code If-None-Match}.
	 */
	static boolean matchesIfNoneMatch(@Nullable String ifNoneMatch, String etag) {
		if (ifNoneMatch == null) {
			return false;
		}
		String wanted = opaque(etag);
		for (String candidate : ifNoneMatch.split(",")) {
			String trimmed = candidate.trim();
			if (trimmed.equals("*") || opaque(trimmed).equals(wanted)) {
				return true;
			}
		}
		return false;
	}

	private static String opaque(String etag) {
		return etag.startsWith("W/") ? etag.substring(2) : etag;
	}

	static String sha256Hex(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK provides SHA-256", ex);
		}
	}

}
