package io.gistgrep.worker.github;

/** A file of a cloned gist: its name, blob SHA and size. */
public record GistTreeEntry(String path, String blobSha, long size) {

}
