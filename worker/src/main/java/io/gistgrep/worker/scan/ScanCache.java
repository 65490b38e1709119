package io.gistgrep.worker.scan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gistgrep.scanner.FileScan;
import io.gistgrep.scanner.LineMatch;
import io.gistgrep.scanner.ScanLimits;
import io.gistgrep.worker.redis.RedisGuard;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.stereotype.Component;

/**
 * What scanning a file found, in Redis by (blob SHA, pattern, limits) and shared by every
 * worker: the same bytes searched for the same pattern always give the same result, so a
 * repeat search fetches no file at all. When Redis is away ({@link RedisGuard}) every
 * scan misses and nothing is kept.
 */
@Component
class ScanCache {

	private static final Logger log = LoggerFactory.getLogger(ScanCache.class);

	private static final String PREFIX = "gistgrep:scan:v1:";

	/** Keys read with one {@code MGET} at most. */
	static final int MAX_KEYS_PER_READ = 1000;

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final Duration ttl;

	private final RedisGuard guard;

	ScanCache(StringRedisTemplate redis, JsonMapper json, MeterRegistry meters, ScanProperties properties,
			RedisGuard guard) {
		this.redis = redis;
		this.json = json;
		this.meters = meters;
		this.ttl = properties.resultCacheTtl();
		this.guard = guard;
	}

	record Cached(@Nullable String skipReason, int matchCount, List<LineMatch> matches) {

	}

	/**
	 * The part of a key that names the pattern and the limits: computed once for a
	 * search, not for each file.
	 */
	static String patternKey(String pattern, ScanLimits limits) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(pattern.getBytes(StandardCharsets.UTF_8));
			sha.update((byte) 0);
			sha.update(limits.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(sha.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The key of a file's result: its blob SHA and the {@link #patternKey}. */
	static String key(String blobSha, String patternKey) {
		return PREFIX + blobSha + ":" + patternKey;
	}

	/** The result cached under {@code key} ({@link #key}), if any. */
	Optional<FileScan> get(String key) {
		if (!this.ttl.isPositive()) {
			return Optional.empty();
		}
		String value = this.guard.call("cache-scan", () -> this.redis.opsForValue().get(key), () -> null);
		this.meters.counter("gistgrep.cache", "cache", "scan", "result", (value != null) ? "hit" : "miss").increment();
		return (value != null) ? read(key, value) : Optional.empty();
	}

	/**
	 * The results cached under each of {@code keys} ({@link #key}) that has one, read
	 * with one {@code MGET} for each {@link #MAX_KEYS_PER_READ} keys; empty while Redis
	 * is away.
	 */
	Map<String, FileScan> getAll(List<String> keys) {
		if (!this.ttl.isPositive() || keys.isEmpty()) {
			return Map.of();
		}
		Map<String, FileScan> found = new HashMap<>();
		// In slices, so that a batch of gists with hundreds of files each does not hold
		// Redis for one long command.
		for (int from = 0; from < keys.size(); from += MAX_KEYS_PER_READ) {
			List<String> slice = keys.subList(from, Math.min(keys.size(), from + MAX_KEYS_PER_READ));
			List<String> values = this.guard.call("cache-scan", () -> this.redis.opsForValue().multiGet(slice),
					() -> null);
			if (values == null) {
				break;
			}
			for (int i = 0; i < slice.size(); i++) {
				String key = slice.get(i);
				if (values.get(i) != null) {
					read(key, values.get(i)).ifPresent((scan) -> found.put(key, scan));
				}
			}
		}
		this.meters.counter("gistgrep.cache", "cache", "scan", "result", "hit").increment(found.size());
		this.meters.counter("gistgrep.cache", "cache", "scan", "result", "miss").increment(keys.size() - found.size());
		return found;
	}

	/** Keeps each result under its key ({@link #key}), in one round trip. */
	void putAll(Map<String, FileScan> scans) {
		if (!this.ttl.isPositive() || scans.isEmpty()) {
			return;
		}
		Map<byte[], byte[]> values = new HashMap<>();
		scans.forEach((key, scan) -> values.put(key.getBytes(StandardCharsets.UTF_8),
				this.json.writeValueAsBytes(new Cached(scan.skipReason(), scan.matchCount(), scan.matches()))));
		Expiration expiration = Expiration.from(this.ttl);
		this.guard.run("cache-scan", () -> this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			values.forEach((key, value) -> connection.stringCommands().set(key, value, expiration, SetOption.upsert()));
			return null;
		}));
	}

	private Optional<FileScan> read(String key, String value) {
		try {
			Cached cached = this.json.readValue(value, Cached.class);
			// JSON of another shape may bind a null list.
			List<LineMatch> matches = cached.matches();
			if (matches == null) {
				log.warn("Ignoring a cached scan {} without its matches", key);
				return Optional.empty();
			}
			return Optional.of(new FileScan(cached.skipReason(), cached.matchCount(), matches));
		}
		catch (JacksonException ex) {
			log.warn("Ignoring an unreadable cached scan {}: {}", key, ex.getMessage());
			return Optional.empty();
		}
	}

}
