package io.gistgrep.worker.github;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A file as GitHub's listing describes it: no content, but an immutable raw URL.
 *
 * @param filename the file's name (its key in the listing when GitHub gives none)
 * @param size the file's size in bytes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ListedFile(String filename, @Nullable String type, @Nullable String language,
		@JsonProperty("raw_url") String rawUrl, @Nullable Long size) {

	public ListedFile {
		// Absent or null (Jackson 3 would refuse it for a primitive): an unknown size,
		// read
		// as 0 so that the raw host is asked and its answer decides.
		size = (size != null) ? size : 0L;
	}

	ListedFile named(String key) {
		return (this.filename != null) ? this : new ListedFile(key, this.type, this.language, this.rawUrl, this.size);
	}

}
