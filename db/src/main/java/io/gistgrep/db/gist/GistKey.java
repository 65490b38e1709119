package io.gistgrep.db.gist;

import java.util.UUID;

/** A gist of a job, by ids. */
public record GistKey(UUID jobId, String gistId) {

}
