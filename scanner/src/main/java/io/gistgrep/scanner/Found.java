package io.gistgrep.scanner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The matches of one file: all counted, the first few located. */
final class Found {

	private final byte[] bytes;

	private final ScanLimits limits;

	private final List<LineMatch> stored = new ArrayList<>();

	private int count;

	private int linesCountedTo;

	private int lineNumber = 1;

	Found(byte[] bytes, ScanLimits limits) {
		this.bytes = bytes;
		this.limits = limits;
	}

	int count() {
		return this.count;
	}

	List<LineMatch> stored() {
		return this.stored;
	}

	boolean storing() {
		return this.stored.size() < this.limits.maxStoredMatches();
	}

	void add(LineLocator lines, int start, int end) {
		this.count++;
		if (storing()) {
			this.stored.add(lines.locate(start, end, this.limits.maxLineText()));
		}
	}

	/** A match found in the bytes, located by decoding its line only. */
	void addBytes(int start, int end) {
		this.count++;
		if (!storing()) {
			return;
		}
		int lineStart = start;
		while (lineStart > 0 && this.bytes[lineStart - 1] != '\n') {
			lineStart--;
		}
		int lineEnd = end;
		while (lineEnd < this.bytes.length && this.bytes[lineEnd] != '\n') {
			lineEnd++;
		}
		String line = new String(this.bytes, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
		int from = new String(this.bytes, lineStart, start - lineStart, StandardCharsets.UTF_8).length();
		int to = from + new String(this.bytes, start, end - start, StandardCharsets.UTF_8).length();
		this.stored.add(new LineLocator(line, lineNumberAt(start)).locate(from, to, this.limits.maxLineText()));
	}

	/** The 1-based line of a byte offset; offsets asked for only ever grow. */
	int lineNumberAt(int byteOffset) {
		if (byteOffset > this.linesCountedTo) {
			this.lineNumber += Newlines.count(this.bytes, this.linesCountedTo, byteOffset);
			this.linesCountedTo = byteOffset;
		}
		return this.lineNumber;
	}

}
