package io.gistgrep.sim;

import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The language and MIME type GitHub reports for a gist file, guessed from its extension.
 */
final class FileKinds {

	record FileKind(@Nullable String language, String type) {
	}

	private static final FileKind UNKNOWN = new FileKind(null, "text/plain");

	private static final Map<String, FileKind> BY_EXTENSION = Map.ofEntries(
			Map.entry("py", new FileKind("Python", "application/x-python")),
			Map.entry("js", new FileKind("JavaScript", "application/javascript")),
			Map.entry("md", new FileKind("Markdown", "text/markdown")),
			Map.entry("txt", new FileKind("Text", "text/plain")),
			Map.entry("java", new FileKind("Java", "text/x-java")), Map.entry("go", new FileKind("Go", "text/x-go")),
			Map.entry("rb", new FileKind("Ruby", "application/x-ruby")),
			Map.entry("sh", new FileKind("Shell", "application/x-sh")), Map.entry("c", new FileKind("C", "text/x-c")),
			Map.entry("json", new FileKind("JSON", "application/json")),
			Map.entry("yml", new FileKind("YAML", "application/x-yaml")),
			Map.entry("yaml", new FileKind("YAML", "application/x-yaml")),
			Map.entry("bin", new FileKind(null, "application/octet-stream")));

	private FileKinds() {
	}

	static FileKind forFilename(String filename) {
		int dot = filename.lastIndexOf('.');
		if (dot < 0 || dot == filename.length() - 1) {
			return UNKNOWN;
		}
		return BY_EXTENSION.getOrDefault(filename.substring(dot + 1).toLowerCase(Locale.ROOT), UNKNOWN);
	}

}
