package io.gistgrep.worker.scan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.gistgrep.db.gist.GistFile;
import io.gistgrep.scanner.FileScan;
import io.gistgrep.scanner.ScanLimits;
import io.gistgrep.worker.github.BlobSha;
import io.gistgrep.worker.github.CachedContents;
import io.gistgrep.worker.github.RawFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	private static final Logger log = LoggerFactory.getLogger(CacheBatch.class);

	private final ScanCache results;

	private final RawFiles rawFiles;

	private final Set<String> asked;

	private final Map<String, FileScan> found;

	private final CachedContents contents;

	private final Map<String, FileScan> waiting = new LinkedHashMap<>();

	CacheBatch(ScanCache results, RawFiles rawFiles, Set<String> asked, Map<String, FileScan> found,
			CachedContents contents) {
		this.results = results;
		this.rawFiles = rawFiles;
		this.asked = Set.copyOf(asked);
		this.found = Map.copyOf(found);
		this.contents = contents;
	}

	/**
	 * Reads what the caches hold for the listed files of a batch's gists: one round trip
	 * to Redis for the results and one for the contents of the files whose result is not
	 * cached and that are small enough for the raw host. The files of a truncated gist
	 * come from a clone and are looked up one by one.
	 */
	static CacheBatch read(ScanCache results, RawFiles rawFiles, ScanLimits limits, long maxRawFileSize,
			List<GistScanner.Planned> planned) {
		try {
			List<String> keys = new ArrayList<>();
			Map<String, GistFile> filesByKey = new LinkedHashMap<>();
			Map<String, String> patternKeys = new HashMap<>();
			for (GistScanner.Planned plan : planned) {
				if (plan.gist().truncated()) {
					continue;
				}
				String patternKey = patternKeys.computeIfAbsent(plan.pattern().source(),
						(source) -> ScanCache.patternKey(source, limits));
				for (GistFile file : plan.gist().files()) {
					BlobSha.of(file.rawUrl()).ifPresent((sha) -> {
						String key = ScanCache.key(sha, patternKey);
						if (filesByKey.putIfAbsent(key, file) == null) {
							keys.add(key);
						}
					});
				}
			}
			Map<String, FileScan> found = results.getAll(keys);
			Map<String, Long> uncached = new LinkedHashMap<>();
			filesByKey.forEach((key, file) -> {
				if (!found.containsKey(key) && file.size() <= maxRawFileSize) {
					uncached.put(file.rawUrl(), file.size());
				}
			});
			return new CacheBatch(results, rawFiles, filesByKey.keySet(), found, rawFiles.cachedContents(uncached));
		}
		catch (RuntimeException ex) {
			// Not Redis being away (RedisGuard answers that with misses): a bug, or a
			// cached value that cannot be read. The batch's files are then looked up one
			// by one, as each gist's own scan would, so that the failure is its task's.
			log.warn("Reading the caches of a batch of {} gists failed; each file is looked up on its own",
					planned.size(), ex);
			return new CacheBatch(results, rawFiles, Set.of(), Map.of(), CachedContents.none());
		}
	}

	/**
	 * The result cached under {@code key} ({@link ScanCache#key}): as read up front when
	 * it was, else asked of the cache.
	 */
	Optional<FileScan> result(String key) {
		return this.asked.contains(key) ? Optional.ofNullable(this.found.get(key)) : this.results.get(key);
	}

	/** The content cache's part. */
	CachedContents contents() {
		return this.contents;
	}

	/** Keeps a scan's result for the end of the batch, or now when too many wait. */
	void keep(String key, FileScan scan) {
		if (!defer(key, scan)) {
			this.results.putAll(Map.of(key, scan));
		}
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

	/**
	 * Writes what the batch's scans found and fetched to the caches, one round trip for
	 * each; a failure other than Redis being away (which RedisGuard answers) is logged,
	 * and the scans stand.
	 */
	void write() {
		try {
			this.results.putAll(drain());
		}
		catch (RuntimeException ex) {
			log.warn("Keeping a batch's scan results in the cache failed", ex);
		}
		try {
			this.rawFiles.keep(this.contents);
		}
		catch (RuntimeException ex) {
			log.warn("Keeping a batch's fetched contents in the cache failed", ex);
		}
	}

}
