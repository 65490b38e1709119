package io.gistgrep.api.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Strong ETags of job documents: a hash of the exact bytes sent, with the tenant's name
 * (so that no two tenants' answers share a tag). Any change a client can see (status, a
 * count, a time) changes the bytes, and so the tag, without a version column that every
 * counted batch would have to bump.
 */
final class DocumentTags {

	/**
	 * Bytes of SHA-256 kept: 128 bits, far from any collision among one job's versions.
	 */
	private static final int KEPT = 16;

	private DocumentTags() {
	}

	/** The quoted strong ETag of {@code body} as sent to {@code tenant}. */
	static String of(String tenant, byte[] body) {
		MessageDigest digest = sha256();
		digest.update(tenant.getBytes(StandardCharsets.UTF_8));
		digest.update((byte) 0);
		digest.update(body);
		byte[] hash = digest.digest();
		return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, KEPT)) + '"';
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
