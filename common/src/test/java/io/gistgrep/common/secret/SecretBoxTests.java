package io.gistgrep.common.secret;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SecretBoxTests {

	private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	@Test
	void whatIsEncryptedDecryptsToTheSame() {
		SecretBox box = new SecretBox(newKey(), List.of());

		String sealed = box.encrypt(SECRET);

		assertThat(sealed).startsWith("v1:" + box.keyId() + ":").doesNotContain(SECRET).doesNotContain("MfKQ9r8G");
		assertThat(SecretBox.isEncrypted(sealed)).isTrue();
		assertThat(box.isCurrent(sealed)).isTrue();
		assertThat(box.decrypt(sealed)).isEqualTo(SECRET);
		assertThat(box.decrypt(box.encrypt(""))).isEmpty();
		assertThat(box.decrypt(box.encrypt("ünïcødé ✓"))).isEqualTo("ünïcødé ✓");
	}

	@Test
	void everyValueGetsItsOwnNonce() {
		SecretBox box = new SecretBox(newKey(), List.of());
		Set<String> nonces = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			byte[] sealed = Base64.getDecoder().decode(box.encrypt(SECRET).substring(12));
			nonces.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(sealed, 12)));
		}

		assertThat(nonces).hasSize(1000);
	}

	@Test
	void theKeyIdIsDerivedFromTheKey() {
		byte[] key = newKey();

		assertThat(new SecretBox(key, List.of()).keyId()).hasSize(8)
			.isEqualTo(new SecretBox(key.clone(), List.of()).keyId())
			.isNotEqualTo(new SecretBox(newKey(), List.of()).keyId());
	}

	@Test
	void anAlteredValueFailsAuthentication() {
		SecretBox box = new SecretBox(newKey(), List.of());
		String sealed = box.encrypt(SECRET);
		byte[] bytes = Base64.getDecoder().decode(sealed.substring(12));
		bytes[bytes.length - 20] ^= 1;
		String altered = sealed.substring(0, 12) + Base64.getEncoder().encodeToString(bytes);

		assertThatExceptionOfType(SecretDecryptionException.class).isThrownBy(() -> box.decrypt(altered))
			.withMessageContaining("failed authentication");
	}

	@Test
	void theKeyIdIsAuthenticatedToo() {
		byte[] key = newKey();
		SecretBox box = new SecretBox(key, List.of());
		SecretBox other = new SecretBox(newKey(), List.of(key));
		String sealed = box.encrypt(SECRET);
		String relabelled = "v1:" + other.keyId() + sealed.substring(11);

		assertThatExceptionOfType(SecretDecryptionException.class).isThrownBy(() -> other.decrypt(relabelled))
			.withMessageContaining("failed authentication");
	}

	@Test
	void aValueMadeUnderAnotherKeyIsRefusedNamingBothKeyIds() {
		SecretBox box = new SecretBox(newKey(), List.of());
		SecretBox other = new SecretBox(newKey(), List.of());
		String sealed = other.encrypt(SECRET);

		assertThatExceptionOfType(SecretDecryptionException.class).isThrownBy(() -> box.decrypt(sealed))
			.withMessageContaining(other.keyId())
			.withMessageContaining(box.keyId())
			.withMessageContaining("GISTGREP_SECRETS_PREVIOUS_KEYS")
			.withMessageNotContaining(SECRET);
	}

	@Test
	void aPreviousKeyStillDecryptsButNewValuesUseTheCurrentKey() {
		byte[] old = newKey();
		SecretBox before = new SecretBox(old, List.of());
		String sealed = before.encrypt(SECRET);
		SecretBox after = new SecretBox(newKey(), List.of(old));

		assertThat(after.decrypt(sealed)).isEqualTo(SECRET);
		assertThat(after.isCurrent(sealed)).isFalse();
		assertThat(after.encrypt(SECRET)).startsWith("v1:" + after.keyId() + ":");
		assertThat(before.isCurrent(after.encrypt(SECRET))).isFalse();
	}

	@Test
	void malformedValuesGetAClearException() {
		SecretBox box = new SecretBox(newKey(), List.of());
		String id = box.keyId();

		assertThatExceptionOfType(SecretDecryptionException.class).isThrownBy(() -> box.decrypt(SECRET))
			.withMessageContaining("not an encrypted value");
		assertThatExceptionOfType(SecretDecryptionException.class).isThrownBy(() -> box.decrypt("v1:" + id))
			.withMessageContaining("no key id");
		assertThatExceptionOfType(SecretDecryptionException.class)
			.isThrownBy(() -> box.decrypt("v1:" + id + ":%%%not-base64"))
			.withMessageContaining("not base64");
		assertThatExceptionOfType(SecretDecryptionException.class).isThrownBy(() -> box.decrypt("v1:" + id + ":AAAA"))
			.withMessageContaining("too short");
		assertThat(SecretBox.isEncrypted(SECRET)).isFalse();
	}

	@Test
	void keysMustBeTheBase64OfExactly32Bytes() {
		String good = Base64.getEncoder().encodeToString(newKey());

		assertThat(SecretBox.of(good, List.of(good)).keyId()).hasSize(8);
		assertThatIllegalArgumentException().isThrownBy(() -> SecretBox.of("not base64!", List.of()))
			.withMessageContaining("not valid base64")
			.withMessageContaining("openssl rand -base64 32");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SecretBox.of(Base64.getEncoder().encodeToString(new byte[16]), List.of()))
			.withMessageContaining("exactly 32 bytes, not 16");
		assertThatIllegalArgumentException().isThrownBy(() -> SecretBox.of(good, List.of("c2hvcnQ=")))
			.withMessageContaining("a previous key");
	}

	@Test
	void itsDescriptionHoldsNoKey() {
		byte[] key = newKey();
		SecretBox box = new SecretBox(key, List.of());

		assertThat(box.toString()).contains(box.keyId()).doesNotContain(Base64.getEncoder().encodeToString(key));
	}

	private static byte[] newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return key;
	}

}
