package io.gistgrep.worker.github;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Git blob SHAs: the identity of a file's content, read from a {@code raw_url}
 * ({@code /{owner}/{gist}/raw/{sha}/{filename}}) or computed from bytes.
 */
public final class BlobSha {

	private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

	private BlobSha() {
	}

	/** The blob SHA in a {@code raw_url}'s path, when it has one. */
	public static Optional<String> of(String rawUrl) {
		String path;
		try {
			path = URI.create(rawUrl).getRawPath();
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		if (path == null) {
			return Optional.empty();
		}
		String[] segments = path.split("/");
		for (int i = 0; i + 1 < segments.length; i++) {
			if (segments[i].equals("raw") && SHA.matcher(segments[i + 1]).matches()) {
				return Optional.of(segments[i + 1]);
			}
		}
		return Optional.empty();
	}

	/** The SHA-1 that {@code git hash-object} computes for {@code content}. */
	public static String compute(byte[] content) {
		// The JDK's SHA-1 (intrinsic where the CPU has SHA instructions), not JGit's
		// collision-detecting Java one, which showed as 6 % of a busy worker's samples:
		// the hash only checks that a fetched file is the blob its raw_url names, the
		// name GitHub itself chose.
		MessageDigest sha1;
		try {
			sha1 = MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-1", ex);
		}
		sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
		return HexFormat.of().formatHex(sha1.digest(content));
	}

}
