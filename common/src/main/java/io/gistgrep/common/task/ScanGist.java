package io.gistgrep.common.task;

import java.util.UUID;

/** Scan one gist of a job; the gist's files are read from the database. */
public record ScanGist(UUID jobId, String gistId) {

}
