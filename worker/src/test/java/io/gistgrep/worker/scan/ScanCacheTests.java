package io.gistgrep.worker.scan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import io.gistgrep.scanner.FileScan;
import io.gistgrep.worker.github.CachedContents;
import io.gistgrep.worker.github.GitHubTesting;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** The scan-result cache's batch reads and writes, on this run's Redis database. */
class ScanCacheTests {

	private final GitHubTesting testing = new GitHubTesting(Map.of(), new SimpleMeterRegistry());

	private final ScanProperties properties = new ScanProperties(100, 500, DataSize.ofKilobytes(8),
			Duration.ofMinutes(10), Duration.ofSeconds(2));

	private final ScanCache cache = new ScanCache(this.testing.redis(), this.testing.json(), new SimpleMeterRegistry(),
			this.properties, this.testing.guard());

	private final String patternKey = ScanCache.patternKey("NEEDLE-" + UUID.randomUUID(), this.properties.limits());

	@Test
	void aBatchReadOfMoreKeysThanOneReadTakesFindsEveryCachedResultAndWritesKeepTheirTtl() {
		List<String> keys = IntStream.range(0, ScanCache.MAX_KEYS_PER_READ * 2 + 10)
			.mapToObj((i) -> ScanCache.key(String.format("%040d", i), this.patternKey))
			.toList();
		List<String> cached = new ArrayList<>();
		for (int i = 0; i < keys.size(); i += 7) {
			cached.add(keys.get(i));
		}
		Map<String, FileScan> written = new HashMap<>();
		cached.forEach((key) -> written.put(key, new FileScan(null, 2, List.of())));

		this.cache.putAll(written);
		Map<String, FileScan> found = this.cache.getAll(keys);

		assertThat(found.keySet()).containsExactlyInAnyOrderElementsOf(cached);
		assertThat(found.values()).extracting(FileScan::matchCount).containsOnly(2);
		assertThat(this.testing.redis().getExpire(cached.getLast())).isBetween(500L, 600L);
	}

	@Test
	void aCachedResultOfAnotherShapeIsAMissNotAFailure() {
		String key = ScanCache.key("f".repeat(40), this.patternKey);
		this.testing.redis().opsForValue().set(key, "{\"matchCount\":3}", Duration.ofMinutes(1));

		assertThat(this.cache.getAll(List.of(key))).isEmpty();
		assertThat(this.cache.get(key)).isEmpty();
	}

	@Test
	void aBatchKeepsAThousandResultsForItsEndAndWantsTheNextWrittenAtOnce() {
		CacheBatch batch = new CacheBatch(this.cache, this.testing.rawFiles(), Set.of(), Map.of(),
				CachedContents.none());
		FileScan scan = new FileScan(null, 0, List.of());

		for (int i = 0; i < CacheBatch.MAX_WAITING; i++) {
			assertThat(batch.defer("k" + i, scan)).isTrue();
		}
		assertThat(batch.defer("one more", scan)).isFalse();
		assertThat(batch.defer("k0", scan)).as("a result waiting already is replaced").isTrue();
		assertThat(batch.drain()).hasSize(CacheBatch.MAX_WAITING);
		assertThat(batch.defer("one more", scan)).isTrue();
	}

}
