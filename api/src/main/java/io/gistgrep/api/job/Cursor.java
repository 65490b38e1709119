package io.gistgrep.api.job;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.gistgrep.api.problem.Problems;

/**
 * Opaque keyset cursors: the last key of a page, versioned and base64url-encoded, so that
 * clients don't build them and the encoding can change. Shared by every listing.
 */
public final class Cursor {

	private static final String VERSION = "v1:";

	private Cursor() {
	}

	public static String encode(String key) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + key).getBytes(StandardCharsets.UTF_8));
	}

	public static String decode(String cursor) {
		try {
			String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (decoded.startsWith(VERSION) && decoded.length() > VERSION.length()) {
				return decoded.substring(VERSION.length());
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64url: reported below
		}
		throw invalid();
	}

	public static RuntimeException invalid() {
		return Problems.badRequest("invalid-cursor", "Invalid cursor",
				"The cursor is not one this api handed out; use next_cursor from the previous page as it is.");
	}

	/** Parses {@code limit}: 1 to 1000, 100 when absent. */
	public static int limit(@org.jspecify.annotations.Nullable String limit) {
		if (limit == null) {
			return 100;
		}
		try {
			int value = Integer.parseInt(limit.trim());
			if (value >= 1 && value <= 1000) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw Problems.badRequest("invalid-limit", "Invalid limit",
				"limit must be a whole number from 1 to 1000, not '" + limit + "'.");
	}

}
