package io.gistgrep.common.secret;

/**
 * A stored secret that cannot be decrypted: malformed, made under a key that is not
 * configured, or altered. Never carries the value itself.
 */
public class SecretDecryptionException extends RuntimeException {

	public SecretDecryptionException(String message) {
		super(message);
	}

}
