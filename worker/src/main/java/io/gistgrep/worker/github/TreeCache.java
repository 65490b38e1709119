package io.gistgrep.worker.github;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.gistgrep.worker.redis.RedisGuard;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The files of gist commits that were cloned, in Redis by commit SHA and shared by every
 * worker. A commit SHA names its tree, so an entry never goes stale: a gist scanned
 * before need not be cloned again to learn its files, a cheap {@code ls-remote} tells its
 * commit. When Redis is away ({@link RedisGuard}) every tree misses and nothing is kept.
 */
@Component
class TreeCache {

	private static final Logger log = LoggerFactory.getLogger(TreeCache.class);

	private static final String PREFIX = "gistgrep:github:tree:";

	private static final Duration TTL = Duration.ofDays(7);

	private static final TypeReference<List<GistTreeEntry>> TREE = new TypeReference<>() {
	};

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final RedisGuard guard;

	TreeCache(StringRedisTemplate redis, JsonMapper json, MeterRegistry meters, RedisGuard guard) {
		this.redis = redis;
		this.json = json;
		this.meters = meters;
		this.guard = guard;
	}

	/** The files of a commit, if a clone recorded them before. */
	Optional<List<GistTreeEntry>> get(String commitSha) {
		String value = this.guard.call("cache-tree", () -> this.redis.opsForValue().get(PREFIX + commitSha),
				() -> null);
		this.meters.counter("gistgrep.cache", "cache", "tree", "result", (value != null) ? "hit" : "miss").increment();
		if (value == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(this.json.readValue(value, TREE));
		}
		catch (JacksonException ex) {
			log.warn("Ignoring an unreadable cached tree of commit {}: {}", commitSha, ex.getMessage());
			return Optional.empty();
		}
	}

	void put(String commitSha, List<GistTreeEntry> files) {
		String value = this.json.writeValueAsString(files);
		this.guard.run("cache-tree", () -> this.redis.opsForValue().set(PREFIX + commitSha, value, TTL));
	}

}
