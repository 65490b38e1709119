package io.gistgrep.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gistgrep.db.apikey.ApiKey;
import io.gistgrep.db.apikey.ApiKeyRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * API keys: {@code ggk_} and 32 random bytes in base64url (the prefix lets secret
 * scanners find leaked keys). Only their SHA-256 is stored. Lookups are cached in the
 * process for at most {@link #CACHE_FOR}, so a key revoked on any replica is refused by
 * every replica within that time.
 */
@Component
public class ApiKeys {

	static final String PREFIX = "ggk_";

	/**
	 * How long a lookup (found or not) is trusted: bounds how late a revocation bites.
	 */
	static final Duration CACHE_FOR = Duration.ofSeconds(1);

	/** How many characters of a key a listing shows. */
	private static final int SHOWN = PREFIX.length() + 6;

	private static final Pattern KEY = Pattern.compile("ggk_[A-Za-z0-9_-]{43,}");

	private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

	private final SecureRandom random = new SecureRandom();

	private final ApiKeyRepository repository;

	private final Cache<String, Optional<String>> tenants = Caffeine.newBuilder()
		.expireAfterWrite(CACHE_FOR)
		.maximumSize(10_000)
		.build();

	ApiKeys(ApiKeyRepository repository, AuthProperties properties) {
		this.repository = repository;
		seed(properties.bootstrapApiKeys());
	}

	/** A key just made, shown once. */
	public record Created(ApiKey key, String secret) {

	}

	/** The tenant of an active key, or empty for an unknown, revoked or malformed one. */
	Optional<Tenant> tenant(String key) {
		if (!KEY.matcher(key).matches()) {
			return Optional.empty();
		}
		byte[] hash = hash(key);
		return this.tenants.get(HexFormat.of().formatHex(hash), (h) -> this.repository.activeTenant(hash))
			.map(Tenant::new);
	}

	Created create(String tenant, String name) {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		ApiKey key = new ApiKey(UUID.randomUUID(), tenant, secret.substring(0, SHOWN), name,
				Instant.now().truncatedTo(ChronoUnit.MICROS), null);
		this.repository.insert(key, hash(secret));
		return new Created(key, secret);
	}

	/**
	 * A tenant name a key may have: {@link Tenant#ANONYMOUS}'s is reserved for keyless
	 * legacy calls, so that no key can read their jobs.
	 */
	static boolean validTenant(String tenant) {
		return TENANT.matcher(tenant).matches() && !Tenant.ANONYMOUS.name().equals(tenant);
	}

	/**
	 * Seeds {@code tenant:key} entries, each once (by hash). A malformed entry stops the
	 * start, with a message that names its position and never the key.
	 */
	private void seed(List<String> entries) {
		int seeded = 0;
		for (int i = 0; i < entries.size(); i++) {
			String entry = entries.get(i).strip();
			if (entry.isEmpty()) {
				continue;
			}
			int colon = entry.indexOf(':');
			String tenant = (colon > 0) ? entry.substring(0, colon) : "";
			String key = (colon > 0) ? entry.substring(colon + 1) : "";
			if (!validTenant(tenant) || !KEY.matcher(key).matches()) {
				throw new IllegalStateException("GISTGREP_BOOTSTRAP_API_KEYS: entry " + (i + 1)
						+ " is not 'tenant:key' with a tenant of letters, digits, '.', '_' or '-' (at most 64; not 'anonymous')"
						+ " and a key of 'ggk_' followed by at least 43 base64url characters (the key is not shown)");
			}
			ApiKey apiKey = new ApiKey(UUID.randomUUID(), tenant, key.substring(0, SHOWN), "bootstrap",
					Instant.now().truncatedTo(ChronoUnit.MICROS), null);
			if (this.repository.insertIfAbsent(apiKey, hash(key))) {
				seeded++;
			}
		}
		if (!entries.isEmpty()) {
			log.info("Bootstrap API keys: {} given, {} new", entries.size(), seeded);
		}
	}

	static byte[] hash(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
