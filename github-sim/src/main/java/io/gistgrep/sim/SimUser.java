package io.gistgrep.sim;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A GitHub user and their public gists, in any order (listings sort newest first).
 *
 * @param login the login, which GitHub matches case-insensitively
 * @param id the numeric user id, used in pagination links
 * @param gists the public gists
 */
public record SimUser(String login, long id, List<SimGist> gists) {

	private static final Pattern LOGIN = Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$");

	public SimUser {
		Objects.requireNonNull(login, "login");
		Objects.requireNonNull(gists, "gists");
		if (!LOGIN.matcher(login).matches()) {
			throw new IllegalArgumentException("'" + login + "' is not a valid GitHub login");
		}
		if (id <= 0) {
			throw new IllegalArgumentException("A user id must be positive, not " + id);
		}
		// Synthetic gists are generated on access: copying them would materialise them
		// all.
		gists = (gists instanceof SyntheticGistList) ? gists : List.copyOf(gists);
	}

	/**
	 * A user with the given gists.
	 * @param login the login
	 * @param id the numeric id
	 * @param gists the gists
	 * @return the user
	 */
	public static SimUser of(String login, long id, SimGist... gists) {
		return new SimUser(login, id, List.of(gists));
	}

	static boolean isValidLogin(String login) {
		return LOGIN.matcher(login).matches();
	}

}
