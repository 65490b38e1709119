package io.gistgrep.worker.listing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.gistgrep.worker.github.ListedFile;
import io.gistgrep.worker.github.ListedGist;

/**
 * What a listed page held, in a few bytes: its gists' ids in order, their update times
 * and their files' raw URLs (which hold each file's blob SHA). Two passes that read the
 * same digest for a page saw the same gists at the same revisions there.
 */
final class PageDigest {

	private PageDigest() {
	}

	static String of(List<ListedGist> gists) {
		MessageDigest sha256 = sha256();
		for (ListedGist gist : gists) {
			update(sha256, gist.id());
			update(sha256, String.valueOf(gist.updatedAt()));
			for (ListedFile file : gist.files().values()) {
				update(sha256, file.rawUrl());
			}
			update(sha256, "");
		}
		return HexFormat.of().formatHex(sha256.digest());
	}

	private static void update(MessageDigest digest, String value) {
		digest.update(value.getBytes(StandardCharsets.UTF_8));
		// A separator that no id, time or URL holds, so that "ab"+"c" and "a"+"bc"
		// differ.
		digest.update((byte) 0);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK provides SHA-256", ex);
		}
	}

}
