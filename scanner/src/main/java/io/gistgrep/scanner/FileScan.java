package io.gistgrep.scanner;

import java.util.List;
import java.util.Optional;

/**
 * What scanning one file found.
 *
 * @param skipReason why the file was not searched (e.g. {@code binary}), or null when it
 * was
 * @param matchCount every match in the file
 * @param matches the first matches, at most {@link ScanLimits#maxStoredMatches()}
 */
public record FileScan(String skipReason, int matchCount, List<LineMatch> matches) {

	public static final String BINARY = "binary";

	/** The file took longer than {@link ScanLimits#fileTimeBudget()}. */
	public static final String SCAN_TIMEOUT = "scan-timeout";

	public FileScan {
		matches = List.copyOf(matches);
	}

	public static FileScan skipped(String reason) {
		return new FileScan(reason, 0, List.of());
	}

	public Optional<String> skipped() {
		return Optional.ofNullable(this.skipReason);
	}

	public boolean matched() {
		return this.matchCount > 0;
	}

}
