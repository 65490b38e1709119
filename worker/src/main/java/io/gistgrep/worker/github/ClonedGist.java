package io.gistgrep.worker.github;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A gist cloned to disk by {@link GistClones}; closing it removes it. */
public final class ClonedGist implements AutoCloseable {

	/** The skip reason of a gist over the per-gist cap. */
	public static final String TOO_LARGE = "clone-too-large";

	private static final Logger log = LoggerFactory.getLogger(ClonedGist.class);

	private final Git git;

	private final Path directory;

	private final ObjectReader reader;

	ClonedGist(Git git, Path directory) {
		this.git = git;
		this.directory = directory;
		this.reader = git.getRepository().newObjectReader();
	}

	String commitSha() {
		try {
			ObjectId head = this.git.getRepository().resolve(Constants.HEAD);
			if (head == null) {
				throw new GitHubException.Unavailable("clone-empty", "The gist's repository has no commit");
			}
			return head.name();
		}
		catch (IOException ex) {
			throw new GitHubException.Transient("Reading a clone failed: " + ex.getMessage(), ex);
		}
	}

	/** The files of the cloned commit. */
	public List<GistTreeEntry> readTree() {
		Repository repository = this.git.getRepository();
		try (TreeWalk walk = new TreeWalk(repository)) {
			ObjectId tree = repository.resolve(Constants.HEAD + "^{tree}");
			if (tree == null) {
				throw new GitHubException.Unavailable("clone-empty", "The gist's repository has no commit");
			}
			walk.addTree(tree);
			walk.setRecursive(true);
			List<GistTreeEntry> files = new ArrayList<>();
			while (walk.next()) {
				if ((walk.getRawMode(0) & FileMode.TYPE_MASK) == FileMode.TYPE_FILE) {
					ObjectId id = walk.getObjectId(0);
					files.add(new GistTreeEntry(walk.getPathString(), id.name(),
							this.reader.getObjectSize(id, Constants.OBJ_BLOB)));
				}
			}
			return files;
		}
		catch (IOException ex) {
			throw new GitHubException.Transient("Reading a clone failed: " + ex.getMessage(), ex);
		}
	}

	/** The bytes of a blob of the clone. */
	public Optional<byte[]> read(String blobSha) {
		try {
			ObjectId id = ObjectId.fromString(blobSha);
			if (!this.reader.has(id, Constants.OBJ_BLOB)) {
				return Optional.empty();
			}
			return Optional.of(this.reader.open(id, Constants.OBJ_BLOB).getBytes(Integer.MAX_VALUE - 8));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new GitHubException.Transient("Reading a clone failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		this.reader.close();
		this.git.close();
		delete(this.directory);
	}

	/** Removes a clone's directory, whatever is in it. */
	static void delete(Path directory) {
		try {
			FileUtils.delete(directory.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
		}
		catch (IOException ex) {
			log.warn("Could not remove the clone at {}: {}", directory, ex.getMessage());
		}
	}

}
