package io.gistgrep.cli.client;

import java.net.URI;

/**
 * The server did not answer: nothing listens at the URL, the name does not resolve, or
 * the answer did not come in time.
 */
public final class Unreachable extends RuntimeException {

	private final URI server;

	Unreachable(URI server, String reason, Throwable cause) {
		super("cannot reach the gistgrep server at " + server + " (" + reason + ")", cause);
		this.server = server;
	}

	public URI server() {
		return this.server;
	}

}
