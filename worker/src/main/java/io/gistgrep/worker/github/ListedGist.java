package io.gistgrep.worker.github;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A gist as GitHub's listing gives it, bound from its JSON; only the fields the worker
 * uses.
 *
 * @param files the listed files by name, in GitHub's order
 * @param truncated GitHub cut the file list (more than 300 files)
 * @param gitPullUrl where to clone the gist from
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ListedGist(String id, @JsonProperty("html_url") String htmlUrl, @Nullable String description,
		@JsonProperty("updated_at") @Nullable Instant updatedAt, @Nullable Boolean truncated,
		Map<String, ListedFile> files, @JsonProperty("git_pull_url") @Nullable String gitPullUrl) {

	public ListedGist {
		// Jackson 3 refuses a null or missing primitive, so the flag is a Boolean: absent
		// or null means GitHub did not cut the list.
		truncated = Boolean.TRUE.equals(truncated);
		// A file without a filename is named by its key; a gist without files has none,
		// and a null entry is no file.
		Map<String, ListedFile> named = new LinkedHashMap<>();
		if (files != null) {
			files.forEach((key, file) -> {
				if (file != null) {
					named.put(key, file.named(key));
				}
			});
		}
		files = Collections.unmodifiableMap(named);
	}

}
