package io.gistgrep.worker.scan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
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

import org.springframework.data.redis.core.StringRedisTemplate;
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

	Optional<FileScan> get(String blobSha, String pattern, ScanLimits limits) {
		if (!this.ttl.isPositive()) {
			return Optional.empty();
		}
		String key = key(blobSha, pattern, limits);
		String value = this.guard.call("cache-scan", () -> this.redis.opsForValue().get(key), () -> null);
		this.meters.counter("gistgrep.cache", "cache", "scan", "result", (value != null) ? "hit" : "miss").increment();
		if (value == null) {
			return Optional.empty();
		}
		try {
			Cached cached = this.json.readValue(value, Cached.class);
			return Optional.of(new FileScan(cached.skipReason(), cached.matchCount(), cached.matches()));
		}
		catch (JacksonException ex) {
			log.warn("Ignoring an unreadable cached scan of blob {}: {}", blobSha, ex.getMessage());
			return Optional.empty();
		}
	}

	void put(String blobSha, String pattern, ScanLimits limits, FileScan scan) {
		if (this.ttl.isPositive()) {
			String key = key(blobSha, pattern, limits);
			String value = this.json
				.writeValueAsString(new Cached(scan.skipReason(), scan.matchCount(), scan.matches()));
			this.guard.run("cache-scan", () -> this.redis.opsForValue().set(key, value, this.ttl));
		}
	}

	private static String key(String blobSha, String pattern, ScanLimits limits) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(pattern.getBytes(StandardCharsets.UTF_8));
			sha.update((byte) 0);
			sha.update(limits.toString().getBytes(StandardCharsets.UTF_8));
			return PREFIX + blobSha + ":" + HexFormat.of().formatHex(sha.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
