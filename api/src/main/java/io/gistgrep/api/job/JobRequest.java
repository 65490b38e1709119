package io.gistgrep.api.job;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /jobs} (and of the legacy search). Fields are read leniently
 * and validated by {@link JobService}, so that every mistake gets its own clear problem.
 */
record JobRequest(@Nullable JsonNode username, @Nullable JsonNode pattern, @Nullable JsonNode webhook) {

}
