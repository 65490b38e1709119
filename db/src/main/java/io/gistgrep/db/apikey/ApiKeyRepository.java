package io.gistgrep.db.apikey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * API keys, by the SHA-256 of the key. The lookup is an equality match on the hash's
 * unique index: what it could leak through timing is about the hash, which an attacker
 * cannot steer towards a valid key's, so it is constant-time with respect to the secret.
 */
@Repository
public class ApiKeyRepository {

	private final JdbcClient jdbc;

	public ApiKeyRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Stores a new key. */
	public void insert(ApiKey key, byte[] hash) {
		this.jdbc.sql("""
				INSERT INTO api_keys (id, tenant, hash, prefix, name, created_at)
				VALUES (:id, :tenant, :hash, :prefix, :name, :createdAt)""")
			.param("id", key.id())
			.param("tenant", key.tenant())
			.param("hash", hash)
			.param("prefix", key.prefix())
			.param("name", key.name())
			.param("createdAt", Timestamp.from(key.createdAt()))
			.update();
	}

	/**
	 * Stores the key unless a key with this hash exists already (revoked or not: seeding
	 * again never brings a revoked key back).
	 * @return true when it was new
	 */
	public boolean insertIfAbsent(ApiKey key, byte[] hash) {
		return this.jdbc.sql("""
				INSERT INTO api_keys (id, tenant, hash, prefix, name, created_at)
				VALUES (:id, :tenant, :hash, :prefix, :name, :createdAt) ON CONFLICT (hash) DO NOTHING""")
			.param("id", key.id())
			.param("tenant", key.tenant())
			.param("hash", hash)
			.param("prefix", key.prefix())
			.param("name", key.name())
			.param("createdAt", Timestamp.from(key.createdAt()))
			.update() == 1;
	}

	/** The tenant of the key with this hash, unless it is unknown or revoked. */
	public Optional<String> activeTenant(byte[] hash) {
		return this.jdbc.sql("SELECT tenant FROM api_keys WHERE hash = :hash AND revoked_at IS NULL")
			.param("hash", hash)
			.query(String.class)
			.optional();
	}

	/** Every key, newest first. */
	public List<ApiKey> list() {
		return this.jdbc
			.sql("SELECT id, tenant, prefix, name, created_at, revoked_at FROM api_keys"
					+ " ORDER BY created_at DESC, id DESC")
			.query(ApiKeyRepository::map)
			.list();
	}

	/** Revokes a key; false when there is no such key or it was revoked already. */
	public boolean revoke(UUID id) {
		return this.jdbc.sql("UPDATE api_keys SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
			.param("id", id)
			.update() == 1;
	}

	public Optional<ApiKey> find(UUID id) {
		return this.jdbc.sql("SELECT id, tenant, prefix, name, created_at, revoked_at FROM api_keys WHERE id = :id")
			.param("id", id)
			.query(ApiKeyRepository::map)
			.optional();
	}

	private static ApiKey map(ResultSet rs, int row) throws SQLException {
		Timestamp revoked = rs.getTimestamp("revoked_at");
		return new ApiKey(rs.getObject("id", UUID.class), rs.getString("tenant"), rs.getString("prefix"),
				rs.getString("name"), rs.getTimestamp("created_at").toInstant(),
				(revoked != null) ? revoked.toInstant() : null);
	}

}
