package io.gistgrep.sim;

import java.util.List;
import java.util.Optional;

/**
 * A gist with the blob SHA of each file computed once.
 */
record StoredGist(SimGist gist, List<String> blobShas) {

	static StoredGist of(SimGist gist) {
		return new StoredGist(gist, gist.files().stream().map(SimFile::blobSha).toList());
	}

	Optional<Integer> fileIndex(String filename) {
		List<SimFile> files = this.gist.files();
		for (int i = 0; i < files.size(); i++) {
			if (files.get(i).filename().equals(filename)) {
				return Optional.of(i);
			}
		}
		return Optional.empty();
	}

}
