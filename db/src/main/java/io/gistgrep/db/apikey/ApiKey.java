package io.gistgrep.db.apikey;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An API key as stored: never the key itself, nor its hash (which stays in the
 * repository).
 *
 * @param prefix the key's first characters, to recognise it by
 */
public record ApiKey(UUID id, String tenant, String prefix, String name, Instant createdAt,
		@Nullable Instant revokedAt) {

}
