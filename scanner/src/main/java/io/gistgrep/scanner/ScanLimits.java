package io.gistgrep.scanner;

import java.time.Duration;

/**
 * Limits of one file's scan.
 *
 * @param maxStoredMatches matches kept per file; all are counted
 * @param maxLineText characters of a matching line kept around the match
 * @param binarySniffBytes leading bytes in which a NUL marks the file as binary
 * @param fileTimeBudget time one file's scan may take before it is given up and reported
 * as skipped ({@link FileScan#SCAN_TIMEOUT})
 */
public record ScanLimits(int maxStoredMatches, int maxLineText, int binarySniffBytes, Duration fileTimeBudget) {

	public static final Duration DEFAULT_FILE_TIME_BUDGET = Duration.ofSeconds(2);

	public static final ScanLimits DEFAULTS = new ScanLimits(100, 500, 8192, DEFAULT_FILE_TIME_BUDGET);

	public ScanLimits {
		if (maxStoredMatches < 0 || maxLineText < 1 || binarySniffBytes < 0) {
			throw new IllegalArgumentException("scan limits must be positive");
		}
		if (fileTimeBudget.isNegative() || fileTimeBudget.isZero()) {
			throw new IllegalArgumentException("the file time budget must be positive");
		}
	}

	public ScanLimits(int maxStoredMatches, int maxLineText, int binarySniffBytes) {
		this(maxStoredMatches, maxLineText, binarySniffBytes, DEFAULT_FILE_TIME_BUDGET);
	}

}
