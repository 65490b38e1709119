package io.gistgrep.common.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM: a random 96-bit nonce per value, a 128-bit
 * tag. A value is stored as {@code v1:<key id>:<base64 of nonce + ciphertext + tag>}, the
 * key id being the first 4 bytes (hex) of the SHA-256 of the key, and {@code v1:<key id>}
 * authenticated as associated data. Values are decrypted with the current key or any
 * previous one, found by key id, so keys can be rotated.
 * <p>
 * Thread-safe: a {@link Cipher} is made per call.
 */
public final class SecretBox {

	/** What every value this class makes starts with. */
	public static final String PREFIX = "v1:";

	/** What the failure messages suggest. */
	public static final String HOW_TO_MAKE_A_KEY = "openssl rand -base64 32";

	private static final int KEY_BYTES = 32;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String keyId;

	/** Every key that decrypts, by key id; the current one first. */
	private final Map<String, SecretKey> keys = new LinkedHashMap<>();

	/**
	 * A box encrypting under {@code key} and decrypting under it or the previous keys.
	 * @param key 32 bytes
	 * @param previousKeys older keys of 32 bytes each, for decryption only
	 */
	public SecretBox(byte[] key, List<byte[]> previousKeys) {
		this.keyId = add(key, "the key");
		for (byte[] previous : previousKeys) {
			add(previous, "a previous key");
		}
	}

	/**
	 * A box from keys in base64, as configured.
	 * @throws IllegalArgumentException saying which key is not the base64 of 32 bytes
	 */
	public static SecretBox of(String key, List<String> previousKeys) {
		return new SecretBox(decodeKey(key, "the key"),
				previousKeys.stream().map((previous) -> decodeKey(previous, "a previous key")).toList());
	}

	/**
	 * The bytes of a key given in base64.
	 * @param what how the failure message names the key
	 * @throws IllegalArgumentException unless {@code base64} is the base64 of 32 bytes
	 */
	public static byte[] decodeKey(String base64, String what) {
		byte[] key;
		try {
			key = Base64.getDecoder().decode(base64.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(what + " is not valid base64; make one with: " + HOW_TO_MAKE_A_KEY);
		}
		if (key.length != KEY_BYTES) {
			throw new IllegalArgumentException(what + " must be the base64 of exactly " + KEY_BYTES + " bytes, not "
					+ key.length + "; make one with: " + HOW_TO_MAKE_A_KEY);
		}
		return key;
	}

	/** Whether a stored value is one this class made (else: legacy plain text). */
	public static boolean isEncrypted(String value) {
		return value.startsWith(PREFIX);
	}

	/** The id of the current key, as written into every value it encrypts. */
	public String keyId() {
		return this.keyId;
	}

	/** Whether a stored value is encrypted under the current key (nothing to rotate). */
	public boolean isCurrent(String value) {
		return value.startsWith(PREFIX + this.keyId + ":");
	}

	public String encrypt(String plaintext) {
		byte[] nonce = new byte[NONCE_BYTES];
		RANDOM.nextBytes(nonce);
		String header = PREFIX + this.keyId;
		try {
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, this.keys.get(this.keyId), nonce, header);
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
			System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
			return header + ":" + Base64.getEncoder().encodeToString(out);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	/**
	 * The plain text of a value made by {@link #encrypt}, under this box's key or a
	 * previous one.
	 * @throws SecretDecryptionException when the value is malformed, was made under a key
	 * this box does not hold, or fails authentication (altered, or another key)
	 */
	public String decrypt(String value) {
		if (!isEncrypted(value)) {
			throw new SecretDecryptionException("not an encrypted value: it does not start with " + PREFIX);
		}
		int colon = value.indexOf(':', PREFIX.length());
		if (colon < 0) {
			throw new SecretDecryptionException("malformed encrypted value: no key id");
		}
		String id = value.substring(PREFIX.length(), colon);
		SecretKey key = this.keys.get(id);
		if (key == null) {
			throw new SecretDecryptionException("encrypted under key id " + id + ", which is neither the current key ("
					+ this.keyId + ") nor a previous one; add that key to GISTGREP_SECRETS_PREVIOUS_KEYS");
		}
		byte[] sealed;
		try {
			sealed = Base64.getDecoder().decode(value.substring(colon + 1));
		}
		catch (IllegalArgumentException ex) {
			throw new SecretDecryptionException("malformed encrypted value: not base64 after the key id");
		}
		if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
			throw new SecretDecryptionException("malformed encrypted value: too short");
		}
		try {
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, NONCE_BYTES), PREFIX + id);
			byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
			return new String(plain, StandardCharsets.UTF_8);
		}
		catch (AEADBadTagException ex) {
			throw new SecretDecryptionException("encrypted value failed authentication under key id " + id
					+ ": it was altered, or made with " + "another key of the same id");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	@Override
	public String toString() {
		return "SecretBox[keyId=" + this.keyId + ", keys=" + this.keys.size() + "]";
	}

	private String add(byte[] key, String what) {
		if (key.length != KEY_BYTES) {
			throw new IllegalArgumentException(what + " must be " + KEY_BYTES + " bytes, not " + key.length
					+ "; make one with: " + HOW_TO_MAKE_A_KEY);
		}
		String id = keyId(key);
		this.keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
		return id;
	}

	private static String keyId(byte[] key) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String header) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
		cipher.updateAAD(header.getBytes(StandardCharsets.UTF_8));
		return cipher;
	}

}
