package io.gistgrep.worker.scan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.gistgrep.scanner.SearchPattern;

/**
 * Compiled patterns of recent jobs, so that a job's scans compile its pattern once: the
 * 256 used last, least recently used out first.
 */
final class PatternCache {

	private final Map<String, SearchPattern> patterns = Collections
		.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, SearchPattern> eldest) {
				return size() > 256;
			}
		});

	SearchPattern of(String pattern) {
		return this.patterns.computeIfAbsent(pattern, SearchPattern::compile);
	}

	/**
	 * The compiled pattern; empty when it does not compile (left to {@link #of} to say).
	 */
	Optional<SearchPattern> compiled(String pattern) {
		try {
			return Optional.of(of(pattern));
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

}
