package io.gistgrep.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One file of a gist. The content array is shared, not copied: treat it as immutable.
 *
 * @param filename the file name, unique within its gist; may hold spaces and non-ASCII
 * characters but no slash
 * @param content the exact bytes served on the raw host
 * @param language GitHub's language name, for example {@code Python}, or {@code null}
 * @param type the MIME type GitHub reports, for example {@code text/plain}
 */
public record SimFile(String filename, byte[] content, @Nullable String language, String type) {

	public SimFile {
		Objects.requireNonNull(filename, "filename");
		Objects.requireNonNull(content, "content");
		Objects.requireNonNull(type, "type");
		if (filename.isBlank() || filename.contains("/")) {
			throw new IllegalArgumentException(
					"A gist file name must be non-blank and hold no slash: '" + filename + "'");
		}
	}

	/**
	 * A UTF-8 text file whose language and type follow from the file name's extension.
	 * @param filename the file name
	 * @param content the text
	 * @return the file
	 */
	public static SimFile text(String filename, String content) {
		return of(filename, content.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A file whose language and type follow from the file name's extension.
	 * @param filename the file name
	 * @param content the bytes
	 * @return the file
	 */
	public static SimFile of(String filename, byte[] content) {
		FileKinds.FileKind kind = FileKinds.forFilename(filename);
		return new SimFile(filename, content, kind.language(), kind.type());
	}

	/**
	 * The size in bytes, as GitHub reports it.
	 * @return the content length
	 */
	public int size() {
		return this.content.length;
	}

	/**
	 * The git blob SHA-1 of the content, as {@code git hash-object} computes it.
	 * @return 40 lower-case hex digits
	 */
	public String blobSha() {
		try {
			MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
			sha1.update(("blob " + this.content.length + "\0").getBytes(StandardCharsets.US_ASCII));
			return HexFormat.of().formatHex(sha1.digest(this.content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK provides SHA-1", ex);
		}
	}

	@Override
	public String toString() {
		return "SimFile[filename=" + this.filename + ", size=" + this.content.length + ", language=" + this.language
				+ ", type=" + this.type + "]";
	}

}
