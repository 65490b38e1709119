package io.gistgrep.worker.scan;

import java.time.Duration;

import io.gistgrep.scanner.ScanLimits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of a scan ({@code GISTGREP_SCAN_*}).
 *
 * @param maxMatchesPerFile matches stored per file; all are counted
 * @param maxLineText characters of a matching line kept around the match
 * @param binarySniff leading bytes in which a NUL byte marks a file as binary
 * @param resultCacheTtl how long a file's result for a pattern is kept in Redis (by blob
 * SHA); zero turns the cache off
 * @param fileTimeBudget a file whose scan runs longer is skipped as {@code scan-timeout}
 */
@ConfigurationProperties("gistgrep.scan")
record ScanProperties(@DefaultValue("100") int maxMatchesPerFile, @DefaultValue("500") int maxLineText,
		@DefaultValue("8KB") DataSize binarySniff, @DefaultValue("7d") Duration resultCacheTtl,
		@DefaultValue("2s") Duration fileTimeBudget) {

	ScanLimits limits() {
		return new ScanLimits(this.maxMatchesPerFile, this.maxLineText, (int) this.binarySniff.toBytes(),
				this.fileTimeBudget);
	}

}
