package io.gistgrep.worker.github;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;

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
		// A Formatter only hashes: it writes no object anywhere, so it need not be
		// closed.
		return new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, content).name();
	}

}
