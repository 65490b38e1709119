package io.gistgrep.worker.github;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gistgrep.worker.redis.RedisGuard;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.stereotype.Component;

/**
 * The content of small files in Redis, by git blob SHA and shared by every worker. A blob
 * SHA names its bytes, so an entry never goes stale: the TTL and the size limit only
 * bound the memory it takes. Another pattern over the same user reads its files from here
 * instead of from GitHub. When Redis is away ({@link RedisGuard}) every file misses and
 * nothing is kept.
 */
@Component
class ContentCache {

	private static final String PREFIX = "gistgrep:github:blob:";

	private final RedisTemplate<String, byte[]> redis;

	private final long maxFileSize;

	private final Duration ttl;

	private final MeterRegistry meters;

	private final RedisGuard guard;

	ContentCache(RedisConnectionFactory connections, GitHubProperties properties, MeterRegistry meters,
			RedisGuard guard) {
		RedisTemplate<String, byte[]> redis = new RedisTemplate<>();
		redis.setConnectionFactory(connections);
		redis.setKeySerializer(RedisSerializer.string());
		redis.setValueSerializer(RedisSerializer.byteArray());
		redis.afterPropertiesSet();
		this.redis = redis;
		this.maxFileSize = properties.contentCacheMaxFileSize().toBytes();
		this.ttl = properties.contentCacheTtl();
		this.meters = meters;
		this.guard = guard;
	}

	Optional<byte[]> get(String blobSha) {
		byte[] content = this.guard.call("cache-content", () -> this.redis.opsForValue().get(PREFIX + blobSha),
				() -> null);
		this.meters.counter("gistgrep.cache", "cache", "content", "result", (content != null) ? "hit" : "miss")
			.increment();
		return Optional.ofNullable(content);
	}

	/**
	 * The cached content of each of {@code blobShas} that is in the cache, read in one
	 * round trip; empty while Redis is away.
	 */
	Map<String, byte[]> getAll(List<String> blobShas) {
		if (blobShas.isEmpty()) {
			return Map.of();
		}
		List<byte[]> contents = this.guard.call("cache-content",
				() -> this.redis.opsForValue().multiGet(blobShas.stream().map((sha) -> PREFIX + sha).toList()),
				() -> null);
		Map<String, byte[]> found = new HashMap<>();
		if (contents != null) {
			for (int i = 0; i < blobShas.size(); i++) {
				if (contents.get(i) != null) {
					found.put(blobShas.get(i), contents.get(i));
				}
			}
		}
		this.meters.counter("gistgrep.cache", "cache", "content", "result", "hit").increment(found.size());
		this.meters.counter("gistgrep.cache", "cache", "content", "result", "miss")
			.increment(blobShas.size() - found.size());
		return found;
	}

	/**
	 * Keeps each of {@code contents} (by blob SHA) that is small enough, in one round
	 * trip; the caller verified their SHAs.
	 */
	void putAll(Map<String, byte[]> contents) {
		if (contents.isEmpty() || !this.ttl.isPositive()) {
			return;
		}
		Expiration expiration = Expiration.from(this.ttl);
		this.guard.run("cache-content", () -> this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			contents.forEach((sha, content) -> {
				if (content.length <= this.maxFileSize) {
					connection.stringCommands()
						.set((PREFIX + sha).getBytes(StandardCharsets.UTF_8), content, expiration, SetOption.upsert());
				}
			});
			return null;
		}));
	}

	/** Keeps {@code content} if it is small enough; the caller verified its SHA. */
	void put(String blobSha, byte[] content) {
		if (content.length <= this.maxFileSize && this.ttl.isPositive()) {
			this.guard.run("cache-content", () -> this.redis.opsForValue().set(PREFIX + blobSha, content, this.ttl));
		}
	}

	boolean accepts(long size) {
		return size <= this.maxFileSize && this.ttl.isPositive();
	}

}
