package io.gistgrep.common.messaging;

/**
 * Names on the broker that the api and the worker share. One direct exchange routes the
 * work; each work queue is a quorum queue with a delivery limit and a dead-letter
 * exchange; delayed retries wait in TTL queues that dead-letter back to the work
 * exchange.
 */
public final class Messaging {

	public static final String EXCHANGE = "gistgrep.work";

	public static final String DEAD_LETTER_EXCHANGE = "gistgrep.dead";

	public static final String DEAD_LETTER_QUEUE = "gistgrep.dead";

	public static final String RETRY_EXCHANGE = "gistgrep.retry";

	/** A job's start: list its user's first page of gists. */
	public static final String START_JOB = "gistgrep.jobs.start";

	/** One further page of a user's gists. */
	public static final String LIST_PAGE = "gistgrep.gists.list";

	/** Scan one gist of a job. */
	public static final String SCAN_GIST = "gistgrep.gists.scan";

	private Messaging() {
	}

}
