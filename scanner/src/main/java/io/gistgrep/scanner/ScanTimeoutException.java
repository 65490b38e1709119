package io.gistgrep.scanner;

/** A file's scan ran over its time budget; it is reported as skipped, not failed. */
final class ScanTimeoutException extends RuntimeException {

	private ScanTimeoutException() {
		super("scan-timeout", null, false, false);
	}

	static void check(long deadline) {
		if (System.nanoTime() - deadline > 0) {
			throw new ScanTimeoutException();
		}
	}

}
