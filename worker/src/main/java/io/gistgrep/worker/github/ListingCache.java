package io.gistgrep.worker.github;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.gistgrep.worker.redis.RedisGuard;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Listing pages with their ETags, in Redis and shared by every worker, so that a repeat
 * listing can be asked with {@code If-None-Match}: GitHub's 304 costs no quota. The page
 * is kept as what was derived from it, not as GitHub's whole body. When Redis is away
 * ({@link RedisGuard}) every page misses (and is asked without an ETag) and nothing is
 * kept.
 */
@Component
class ListingCache {

	private static final Logger log = LoggerFactory.getLogger(ListingCache.class);

	private static final Duration TTL = Duration.ofDays(7);

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final RedisGuard guard;

	ListingCache(StringRedisTemplate redis, JsonMapper json, RedisGuard guard) {
		this.redis = redis;
		this.json = json;
		this.guard = guard;
	}

	/** A listing page as derived from GitHub's answer. */
	record Entry(String etag, List<ListedGist> gists, @Nullable String next) {

	}

	/**
	 * The cached page for a URL asked with a credential; the credential is part of the
	 * key, since GitHub's answers vary by {@code Authorization}.
	 */
	Optional<Entry> get(String url, String credential) {
		String key = key(url, credential);
		String value = this.guard.call("cache-listing", () -> this.redis.opsForValue().get(key), () -> null);
		if (value == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(this.json.readValue(value, Entry.class));
		}
		catch (JacksonException ex) {
			log.warn("Ignoring an unreadable cached listing page for {}: {}", url, ex.getMessage());
			return Optional.empty();
		}
	}

	void put(String url, String credential, Entry entry) {
		String key = key(url, credential);
		String value = this.json.writeValueAsString(entry);
		this.guard.run("cache-listing", () -> this.redis.opsForValue().set(key, value, TTL));
	}

	/**
	 * The key of a page; {@code v2} holds pages as {@link ListedGist}s, which {@code v1}
	 * held as the database's records.
	 */
	private static String key(String url, String credential) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(credential.getBytes(StandardCharsets.UTF_8));
			sha.update((byte) 0);
			sha.update(url.getBytes(StandardCharsets.UTF_8));
			return "gistgrep:github:listing:v2:" + HexFormat.of().formatHex(sha.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
