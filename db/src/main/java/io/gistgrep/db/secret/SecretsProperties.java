package io.gistgrep.db.secret;

import java.util.List;

import io.gistgrep.common.secret.SecretBox;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The key for secrets at rest. Both apps refuse to start without a valid one; there is no
 * development default ({@code bin/run-local} makes one).
 *
 * @param key {@code GISTGREP_SECRETS_KEY}: base64 of 32 random bytes
 * @param previousKeys {@code GISTGREP_SECRETS_PREVIOUS_KEYS}: retired keys,
 * comma-separated, still used to decrypt (and, at start-up, to re-encrypt under
 * {@code key})
 */
@ConfigurationProperties("gistgrep.secrets")
public record SecretsProperties(String key, List<String> previousKeys) {

	public SecretsProperties(@Nullable String key, @Nullable List<String> previousKeys) {
		if (key == null || key.isBlank()) {
			throw new IllegalArgumentException("GISTGREP_SECRETS_KEY (gistgrep.secrets.key) is not set: it must be "
					+ "the base64 of 32 random bytes, the key that encrypts webhook secrets at rest; make one with: "
					+ SecretBox.HOW_TO_MAKE_A_KEY);
		}
		SecretBox.decodeKey(key, "GISTGREP_SECRETS_KEY (gistgrep.secrets.key)");
		List<String> previous = (previousKeys != null) ? previousKeys.stream().filter((k) -> !k.isBlank()).toList()
				: List.of();
		for (String old : previous) {
			SecretBox.decodeKey(old, "a key of GISTGREP_SECRETS_PREVIOUS_KEYS (gistgrep.secrets.previous-keys)");
		}
		this.key = key;
		this.previousKeys = previous;
	}

	public SecretBox box() {
		return SecretBox.of(this.key, this.previousKeys);
	}

	@Override
	public String toString() {
		return "SecretsProperties[key=…, previousKeys=" + this.previousKeys.size() + "]";
	}

}
