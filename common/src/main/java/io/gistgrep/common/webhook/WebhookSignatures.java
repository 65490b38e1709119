package io.gistgrep.common.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 secrets and signatures. Written here rather than taken from
 * {@code com.standardwebhooks:standardwebhooks}, whose verifier the tests use instead, so
 * that the tests check our signer against an independent implementation.
 */
public final class WebhookSignatures {

	public static final String PREFIX = "whsec_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private WebhookSignatures() {
	}

	/** A new secret: {@code whsec_} and the base64 of 32 random bytes. */
	public static String newSecret() {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return PREFIX + Base64.getEncoder().encodeToString(key);
	}

	/**
	 * The key of a secret, or an {@link IllegalArgumentException} saying why it is not
	 * one: {@code whsec_} and the base64 of 24 to 64 bytes.
	 */
	public static byte[] key(String secret) {
		if (!secret.startsWith(PREFIX)) {
			throw new IllegalArgumentException("webhook.secret must start with whsec_");
		}
		byte[] key;
		try {
			key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("webhook.secret must be whsec_ followed by base64");
		}
		if (key.length < 24 || key.length > 64) {
			throw new IllegalArgumentException("webhook.secret must encode 24 to 64 bytes, not " + key.length);
		}
		return key;
	}

	/**
	 * The {@code webhook-signature} header: {@code v1,} and the base64 HMAC-SHA256 of
	 * id.timestamp.body.
	 */
	public static String sign(String secret, String id, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
			byte[] signature = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(signature);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
