package io.gistgrep.db.secret;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.gistgrep.common.secret.SecretBox;
import io.gistgrep.common.secret.SecretDecryptionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * At start-up, brings every stored secret under the current key: values stored in plain
 * text before secrets were encrypted (webhook secrets in {@code jobs}, and the answers in
 * {@code idempotency_keys}, which may hold one) and values encrypted under a previous
 * key. Idempotent, and safe with several processes at once: each row is updated only if
 * it still holds what was read. A value under a key that is not configured is left as it
 * is and reported.
 */
@Component
public class SecretsAtRest implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(SecretsAtRest.class);

	private static final int BATCH = 500;

	/** What a run did. */
	public record Result(int encrypted, List<String> undecryptable) {

	}

	private record Row(String id, String key, String stored) {

	}

	private final JdbcClient jdbc;

	private final SecretBox box;

	SecretsAtRest(JdbcClient jdbc, SecretBox box) {
		this.jdbc = jdbc;
		this.box = box;
	}

	@Override
	public void run(ApplicationArguments args) {
		Result result = encryptAll();
		if (result.encrypted() > 0) {
			log.info("Encrypted {} stored secrets under key id {}", result.encrypted(), this.box.keyId());
		}
		if (!result.undecryptable().isEmpty()) {
			log.warn("{} stored secrets could not be decrypted ({}): add their key to GISTGREP_SECRETS_PREVIOUS_KEYS",
					result.undecryptable().size(),
					String.join("; ", result.undecryptable().subList(0, Math.min(10, result.undecryptable().size()))));
		}
	}

	/** Encrypts, under the current key, every stored secret that is not yet. */
	public Result encryptAll() {
		List<String> undecryptable = new ArrayList<>();
		int encrypted = 0;
		String current = SecretBox.PREFIX + this.box.keyId() + ":%";
		Row after = new Row(new UUID(0, 0).toString(), "", "");
		for (List<Row> rows = jobs(current, after); !rows.isEmpty(); rows = jobs(current, after)) {
			for (Row row : rows) {
				String value = plain(row, "job " + row.id(), undecryptable);
				if (value != null && this.jdbc.sql("""
						UPDATE jobs SET webhook_secret = :new WHERE id = :id::uuid AND webhook_secret = :old""")
					.param("new", this.box.encrypt(value))
					.param("id", row.id())
					.param("old", row.stored())
					.update() == 1) {
					encrypted++;
				}
				after = row;
			}
		}
		after = new Row("", "", "");
		for (List<Row> rows = answers(current, after); !rows.isEmpty(); rows = answers(current, after)) {
			for (Row row : rows) {
				String value = plain(row, "an Idempotency-Key answer of tenant " + row.id(), undecryptable);
				if (value != null && this.jdbc.sql("""
						UPDATE idempotency_keys SET response_body = :new
						WHERE tenant = :tenant AND key = :key AND response_body = :old""")
					.param("new", this.box.encrypt(value))
					.param("tenant", row.id())
					.param("key", row.key())
					.param("old", row.stored())
					.update() == 1) {
					encrypted++;
				}
				after = row;
			}
		}
		return new Result(encrypted, List.copyOf(undecryptable));
	}

	private List<Row> jobs(String current, Row after) {
		return this.jdbc.sql("""
				SELECT id::text AS id, webhook_secret FROM jobs
				WHERE webhook_secret IS NOT NULL AND webhook_secret NOT LIKE :current AND id > :after::uuid
				ORDER BY id LIMIT :batch""")
			.param("current", current)
			.param("after", after.id())
			.param("batch", BATCH)
			.query((rs, n) -> new Row(rs.getString("id"), "", rs.getString("webhook_secret")))
			.list();
	}

	private List<Row> answers(String current, Row after) {
		return this.jdbc.sql("""
				SELECT tenant, key, response_body FROM idempotency_keys
				WHERE response_body IS NOT NULL AND response_body NOT LIKE :current AND (tenant, key) > (:tenant, :key)
				ORDER BY tenant, key LIMIT :batch""")
			.param("current", current)
			.param("tenant", after.id())
			.param("key", after.key())
			.param("batch", BATCH)
			.query((rs, n) -> new Row(rs.getString("tenant"), rs.getString("key"), rs.getString("response_body")))
			.list();
	}

	private @Nullable String plain(Row row, String what, List<String> undecryptable) {
		if (!SecretBox.isEncrypted(row.stored())) {
			return row.stored();
		}
		try {
			return this.box.decrypt(row.stored());
		}
		catch (SecretDecryptionException ex) {
			undecryptable.add(what + ": " + ex.getMessage());
			return null;
		}
	}

}
