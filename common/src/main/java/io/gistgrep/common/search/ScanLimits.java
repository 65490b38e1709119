package io.gistgrep.common.search;

/**
 * Limits of one file's scan.
 *
 * @param maxStoredMatches matches kept per file; all are counted
 * @param maxLineText characters of a matching line kept around the match
 * @param binarySniffBytes leading bytes in which a NUL marks the file as binary
 */
public record ScanLimits(int maxStoredMatches, int maxLineText, int binarySniffBytes) {

	public static final ScanLimits DEFAULTS = new ScanLimits(100, 500, 8192);

	public ScanLimits {
		if (maxStoredMatches < 0 || maxLineText < 1 || binarySniffBytes < 0) {
			throw new IllegalArgumentException("scan limits must be positive");
		}
	}

}
