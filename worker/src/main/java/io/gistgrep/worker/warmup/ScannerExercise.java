package io.gistgrep.worker.warmup;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import io.gistgrep.scanner.FileScan;
import io.gistgrep.scanner.ScanLimits;
import io.gistgrep.scanner.Scanner;
import io.gistgrep.scanner.SearchPattern;

/**
 * Runs the scanner over a made-up corpus of gist-like files with patterns of each kind it
 * plans differently (a literal, alternations, classes and repeats, case-insensitive, no
 * literal at all), so that the JIT has compiled its loops before a job needs them.
 */
final class ScannerExercise {

	static final List<String> PATTERNS = List.of("TODO", "TODO|FIXME", "AKIA[0-9A-Z]{16}", "(?i)password\\s*=",
			"secret_[a-z]{4}\\b", "[A-Za-z]{30}", "^import\\s+\\w+", "ghp_[A-Za-z0-9]{36}|xox[bp]-[0-9-]+");

	private static final String[] LINES = { "import os", "def handler(event, context):", "    # TODO: retry on 503",
			"    password = os.environ['PASSWORD']", "const token = 'AKIAIOSFODNN7EXAMPLE';",
			"for (int i = 0; i < n; i++) { sum += values[i]; }", "SELECT id, name FROM users WHERE id = $1;",
			"    return {\"statusCode\": 200, \"body\": json.dumps(result)}", "# FIXME secret_abcd rotated yearly",
			"export PATH=\"$HOME/bin:$PATH\"", "  - name: install dependencies", "" };

	private final List<byte[]> files;

	private final ScanLimits limits;

	private long bytesScanned;

	private int matchedFiles;

	ScannerExercise(ScanLimits limits) {
		this.limits = limits;
		SplittableRandom random = new SplittableRandom(13);
		this.files = List.of(file(random, 40), file(random, 400), file(random, 1000), binary(random));
	}

	/** Scans every file with every pattern (compiled again, as each job does) once. */
	void pass() {
		for (String source : PATTERNS) {
			Scanner scanner = new Scanner(SearchPattern.compile(source), this.limits);
			for (byte[] file : this.files) {
				FileScan scan = scanner.scan(file);
				this.bytesScanned += file.length;
				if (scan.matched()) {
					this.matchedFiles++;
				}
			}
		}
	}

	long bytesScanned() {
		return this.bytesScanned;
	}

	/** How many file scans matched: read, so that the work cannot be optimised away. */
	int matchedFiles() {
		return this.matchedFiles;
	}

	private static byte[] file(SplittableRandom random, int lines) {
		StringBuilder text = new StringBuilder(lines * 40);
		for (int i = 0; i < lines; i++) {
			text.append(LINES[random.nextInt(LINES.length)]);
			if (random.nextInt(8) == 0) {
				text.append(" // ").append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
			}
			text.append('\n');
		}
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] binary(SplittableRandom random) {
		byte[] bytes = new byte[4096];
		random.nextBytes(bytes);
		return bytes;
	}

}
