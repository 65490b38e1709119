package io.gistgrep.worker.github;

import java.util.List;
import java.util.Optional;

import io.gistgrep.db.gist.GistRef;

/**
 * One page of a user's gists.
 *
 * @param next the {@code rel="next"} URL, empty on the last page
 * @param notModified GitHub answered 304 and the page came from the cache (no quota
 * spent)
 */
public record GistPage(List<GistRef> gists, Optional<String> next, boolean notModified) {

}
