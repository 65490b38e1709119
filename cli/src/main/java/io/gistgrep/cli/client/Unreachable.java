package io.gistgrep.cli.client;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * The server did not answer: nothing listens at the URL, the name does not resolve, or
 * the answer did not come in time.
 */
public final class Unreachable extends RuntimeException {

	private final URI server;

	private final boolean answered;

	private Unreachable(URI server, String message, boolean answered, @Nullable Throwable cause) {
		super(message, cause);
		this.server = server;
		this.answered = answered;
	}

	/** Nothing answered: no connection, no name, or no answer in time. */
	static Unreachable noAnswer(URI server, String reason, Throwable cause) {
		return new Unreachable(server, "cannot reach the gistgrep server at " + shown(server) + " (" + reason + ")",
				false, cause);
	}

	/** Something answered, but not as a gistgrep api would. */
	static Unreachable wrongAnswer(URI server, String what, @Nullable Throwable cause) {
		return new Unreachable(server, "the server at " + shown(server) + " " + what, true, cause);
	}

	/**
	 * Whether something answered at the URL (a wrong URL) rather than nothing (a server
	 * down).
	 */
	public boolean answered() {
		return this.answered;
	}

	/** The URL as it may be shown: without any user and password in it. */
	static String shown(URI server) {
		if (server.getRawUserInfo() == null) {
			return server.toString();
		}
		return server.toString().replace(server.getRawUserInfo() + "@", "");
	}

	public URI server() {
		return this.server;
	}

}
