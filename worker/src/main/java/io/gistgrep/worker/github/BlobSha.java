package io.gistgrep.worker.github;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Git blob SHAs: the identity of a file's content, read from a {@code raw_url}
 * ({@code /{owner}/{gist}/raw/{sha}/{filename}}) or computed from bytes.
 */
public final class BlobSha {

	private static final MessageDigest SHA1;

	static {
		try {
			SHA1 = MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-1", ex);
		}
	}

	private BlobSha() {
	}

	/**
	 * The blob SHA in a {@code raw_url}'s path, when it has one: the segment after a
	 * {@code raw} segment, if it is 40 lowercase hex digits.
	 * <p>
	 * Read by hand rather than with {@link java.net.URI}: each file's URL is read several
	 * times on a scan's way (the caches, the fetch), and parsing it showed as 2 % of a
	 * busy worker's samples. A URL that {@code URI} would refuse may still give its SHA
	 * here; that only names content (which is checked against it before it is cached),
	 * and the URL itself is checked ({@link AllowedHosts}) before anything is fetched
	 * from it.
	 */
	public static Optional<String> of(String rawUrl) {
		int scheme = rawUrl.indexOf("://");
		int start = (scheme > 0) ? rawUrl.indexOf('/', scheme + 3) : -1;
		if (start < 0) {
			return Optional.empty();
		}
		int end = rawUrl.length();
		for (int i = start; i < end; i++) {
			char c = rawUrl.charAt(i);
			if (c == '?' || c == '#') {
				end = i;
			}
		}
		for (int raw = rawUrl.indexOf("/raw/", start); raw >= 0 && raw < end; raw = rawUrl.indexOf("/raw/", raw + 1)) {
			int from = raw + "/raw/".length();
			int to = from + 40;
			if (to <= end && (to == end || rawUrl.charAt(to) == '/') && hex(rawUrl, from, to)) {
				return Optional.of(rawUrl.substring(from, to));
			}
		}
		return Optional.empty();
	}

	private static boolean hex(String text, int from, int to) {
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
				return false;
			}
		}
		return true;
	}

	/** The SHA-1 that {@code git hash-object} computes for {@code content}. */
	public static String compute(byte[] content) {
		// The JDK's SHA-1 (intrinsic where the CPU has SHA instructions), not JGit's
		// collision-detecting Java one, which showed as 6 % of a busy worker's samples:
		// the hash only checks that a fetched file is the blob its raw_url names, the
		// name GitHub itself chose.
		MessageDigest sha1;
		try {
			// A copy of one made up front: getInstance looks the provider up each time
			// (0.6 % of a busy worker's samples).
			sha1 = (MessageDigest) SHA1.clone();
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("The JDK's SHA-1 can be copied", ex);
		}
		sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
		return HexFormat.of().formatHex(sha1.digest(content));
	}

}
