package io.gistgrep.db.gist;

import org.jspecify.annotations.Nullable;

/** A file as GitHub's listing describes it: no content, but an immutable raw URL. */
public record GistFile(String filename, @Nullable String type, @Nullable String language, String rawUrl, long size) {

}
