package io.gistgrep.worker.github;

import java.time.Duration;
import java.util.Optional;

import io.gistgrep.worker.redis.RedisGuard;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.data.redis.connection.RedisConnectionFactory;
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
