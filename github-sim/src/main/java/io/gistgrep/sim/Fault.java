package io.gistgrep.sim;

/**
 * A fault {@link GitHubSim#failNext(Target, Fault, int)} injects into one request.
 */
public enum Fault {

	/** The request is answered {@code 500} (with the body its host sends). */
	STATUS_500,

	/**
	 * The response's headers and part of its body are sent, announcing the whole body's
	 * {@code content-length}, then the connection is closed: the client reads an early
	 * end of stream, as when a connection is reset while a body is on the way.
	 */
	RESET_MID_BODY

}
