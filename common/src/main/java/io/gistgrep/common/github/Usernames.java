package io.gistgrep.common.github;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GitHub's rules for user names: 1 to 39 ASCII letters, digits and single hyphens, no
 * leading or trailing hyphen. GitHub's own 404 stays the final word; this only turns away
 * junk before it costs a request.
 */
public final class Usernames {

	private static final int MAX_LENGTH = 39;

	// Look-ahead is fine here: the input is at most 39 characters, checked first.
	private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$");

	private Usernames() {
	}

	/** Why the name is not a valid GitHub user name, or empty when it is. */
	public static Optional<String> problem(String username) {
		if (username.isEmpty()) {
			return Optional.of("username must not be empty");
		}
		if (username.length() > MAX_LENGTH) {
			return Optional.of("username must be at most 39 characters long");
		}
		if (!VALID.matcher(username).matches()) {
			return Optional.of("username may contain only ASCII letters, digits and single hyphens, "
					+ "and may not begin or end with a hyphen");
		}
		return Optional.empty();
	}

	public static boolean isValid(String username) {
		return problem(username).isEmpty();
	}

}
