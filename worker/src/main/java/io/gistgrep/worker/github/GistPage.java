package io.gistgrep.worker.github;

import java.util.List;
import java.util.Optional;

/**
 * One page of a user's gists.
 *
 * @param next the {@code rel="next"} URL, empty on the last page
 * @param notModified GitHub answered 304 and the page came from the cache (no quota
 * spent)
 */
public record GistPage(List<ListedGist> gists, Optional<String> next, boolean notModified) {

}
