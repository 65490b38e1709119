package io.gistgrep.sim;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A public gist. Timestamps keep whole seconds, as GitHub's do.
 *
 * @param id the gist id, for example {@code 6b2972aa971dd605f524}
 * @param description the description, or {@code null}
 * @param createdAt when the gist was created; listings show newest first
 * @param updatedAt when the gist was last updated; {@code since} filters on it
 * @param files the files, with unique names
 */
public record SimGist(String id, @Nullable String description, Instant createdAt, Instant updatedAt,
		List<SimFile> files) {

	public SimGist {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(createdAt, "createdAt");
		Objects.requireNonNull(updatedAt, "updatedAt");
		if (id.isEmpty() || !id.chars().allMatch((c) -> c < 128 && Character.isLetterOrDigit(c))) {
			throw new IllegalArgumentException("A gist id must be ASCII letters and digits: '" + id + "'");
		}
		createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
		updatedAt = updatedAt.truncatedTo(ChronoUnit.SECONDS);
		files = List.copyOf(files);
		Set<String> names = new HashSet<>();
		for (SimFile file : files) {
			if (!names.add(file.filename())) {
				throw new IllegalArgumentException("Gist " + id + " holds two files named '" + file.filename() + "'");
			}
		}
	}

	/**
	 * A gist that was never updated after its creation.
	 * @param id the gist id
	 * @param description the description, or {@code null}
	 * @param createdAt the creation and update time
	 * @param files the files
	 * @return the gist
	 */
	public static SimGist of(String id, @Nullable String description, Instant createdAt, SimFile... files) {
		return new SimGist(id, description, createdAt, createdAt, List.of(files));
	}

}
