package io.gistgrep.worker.listing;

import java.util.List;

import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistRef;
import io.gistgrep.worker.github.ListedFile;
import io.gistgrep.worker.github.ListedGist;

/** Listed gists as the database keeps them with their job. */
public final class ListedGists {

	private ListedGists() {
	}

	public static List<GistRef> toRefs(List<ListedGist> gists) {
		return gists.stream().map(ListedGists::toRef).toList();
	}

	public static GistRef toRef(ListedGist gist) {
		return new GistRef(gist.id(), gist.htmlUrl(), gist.description(), gist.updatedAt(), gist.truncated(),
				gist.files().values().stream().map(ListedGists::toFile).toList(), gist.gitPullUrl());
	}

	private static GistFile toFile(ListedFile file) {
		return new GistFile(file.filename(), file.type(), file.language(), file.rawUrl(), file.size());
	}

}
