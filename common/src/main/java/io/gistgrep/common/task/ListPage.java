package io.gistgrep.common.task;

import java.util.UUID;

/**
 * One page of a user's gist listing.
 *
 * @param page 1-based number of the page
 * @param url the URL GitHub gave in the previous page's {@code Link: rel="next"} header
 */
public record ListPage(UUID jobId, int page, String url) {

}
