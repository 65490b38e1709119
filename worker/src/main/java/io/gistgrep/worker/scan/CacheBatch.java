package io.gistgrep.worker.scan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.gistgrep.scanner.FileScan;
import io.gistgrep.worker.github.CachedContents;

/**
 * A batch of scans' use of the caches in Redis ({@link GistScanner#lookUp}): the results
 * and contents its gists' files may have cached, read up front in one round trip for each
 * cache, and what its scans found and fetched, written at the end
 * ({@link GistScanner#keep}) in one round trip for each. Without it each file of a cold
 * search costs four round trips (a result and a content looked up, then both kept), and
 * each costs the worker and Redis more than its answer: 12 % of the worker's CPU samples
 * in case 1 of {@code bench/e2e.sh} (4.5 % with it).
 * <p>
 * Safe for the batch's virtual threads to use at once.
 */
final class CacheBatch {

	/** Results that wait for the end of the batch, at most. */
	static final int MAX_WAITING = 1000;

	private final Set<String> asked;

	private final Map<String, FileScan> found;

	private final CachedContents contents;

	private final Map<String, FileScan> waiting = new LinkedHashMap<>();

	CacheBatch(Set<String> asked, Map<String, FileScan> found, CachedContents contents) {
		this.asked = Set.copyOf(asked);
		this.found = Map.copyOf(found);
		this.contents = contents;
	}

	/** Whether the result under {@code key} ({@link ScanCache#key}) was read up front. */
	boolean asked(String key) {
		return this.asked.contains(key);
	}

	/** The result read up front under {@code key}, if the cache had one. */
	Optional<FileScan> found(String key) {
		return Optional.ofNullable(this.found.get(key));
	}

	/** The content cache's part. */
	CachedContents contents() {
		return this.contents;
	}

	/**
	 * Keeps a scan's result for the end of the batch; false when it must be written now
	 * ({@link #MAX_WAITING} wait already: a batch of truncated gists may have thousands
	 * of files).
	 */
	synchronized boolean defer(String key, FileScan scan) {
		if (this.waiting.size() >= MAX_WAITING && !this.waiting.containsKey(key)) {
			return false;
		}
		this.waiting.put(key, scan);
		return true;
	}

	/** The results waiting to be written, handed over once. */
	synchronized Map<String, FileScan> drain() {
		Map<String, FileScan> drained = new LinkedHashMap<>(this.waiting);
		this.waiting.clear();
		return drained;
	}

}
