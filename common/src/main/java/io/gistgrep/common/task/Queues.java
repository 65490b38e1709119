package io.gistgrep.common.task;

/**
 * Where each task is routed: the names the api, the worker and the outbox agree on. The
 * broker objects themselves are declared by {@code io.gistgrep.messaging.Topology}.
 */
public final class Queues {

	/** The direct exchange that routes every task to the queue of its name. */
	public static final String EXCHANGE = "gistgrep.work";

	/** A job's start: list its user's first page of gists ({@link StartJob}). */
	public static final String START_JOB = "gistgrep.jobs.start";

	/** One further page of a user's gists ({@link ListPage}). */
	public static final String LIST_PAGE = "gistgrep.gists.list";

	/** Scan one gist of a job ({@link ScanGist}). */
	public static final String SCAN_GIST = "gistgrep.gists.scan";

	/** Deliver (or retry) one webhook ({@link DeliverWebhook}). */
	public static final String DELIVER_WEBHOOK = "gistgrep.webhooks.deliver";

	private Queues() {
	}

}
