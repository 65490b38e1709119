package io.gistgrep.worker.scan;

/** What becomes of a message of a batch of scan tasks ({@link ScanListener}). */
enum Settlement {

	/** Done with: its outcome committed, or its retry's copy confirmed. */
	ACK,
	/** Back to its queue, to be delivered again. */
	REQUEUE,
	/** Dead-lettered: it cannot be read. */
	REJECT

}
