package io.gistgrep.worker.github;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UserAgent;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Shallow clones of gists (JGit, depth 1, bare, into a temporary directory removed
 * afterwards), for files the raw host refuses (over 10 MB) and for gists whose file list
 * the API truncates (over 300 files). Clones go only to allowed hosts, never with a
 * token, within the per-host concurrency bound. A gist's file list is cached by commit
 * SHA, which a cheap {@code ls-remote} tells, so a gist scanned before need not be cloned
 * again to learn its files.
 */
@Component
public class GistClones {

	private static final Logger log = LoggerFactory.getLogger(GistClones.class);

	private static final String TREE_PREFIX = "gistgrep:github:tree:";

	private static final Duration TREE_TTL = Duration.ofDays(7);

	private static final TypeReference<List<GistTreeEntry>> TREE = new TypeReference<>() {
	};

	private final GitHubProperties properties;

	private final HostLimiter hosts;

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final Set<String> allowedHosts;

	GistClones(GitHubProperties properties, HostLimiter hosts, StringRedisTemplate redis, JsonMapper json,
			MeterRegistry meters) {
		this.properties = properties;
		this.hosts = hosts;
		this.redis = redis;
		this.json = json;
		this.meters = meters;
		List<String> allowed = new ArrayList<>(properties.gitHosts());
		allowed.add(properties.apiUrl().getHost());
		this.allowedHosts = Set.copyOf(allowed.stream().map((h) -> h.toLowerCase(Locale.ROOT)).toList());
		// JGit sends one User-Agent for the whole JVM; only the worker clones.
		UserAgent.set(properties.userAgent());
	}

	/** A file of a cloned gist: its name, blob SHA and size. */
	public record GistTreeEntry(String path, String blobSha, long size) {

	}

	/**
	 * The SHA of the commit a gist's repository points at, from an {@code ls-remote}.
	 */
	public String headCommit(String pullUrl) {
		URI uri = checked(pullUrl);
		try (HostLimiter.Permit permit = this.hosts.acquire(uri.getHost())) {
			Map<String, Ref> refs = Git.lsRemoteRepository()
				.setRemote(pullUrl)
				.setTimeout(timeoutSeconds())
				.callAsMap();
			count("ls-remote", "ok");
			return head(refs).orElseThrow(
					() -> new GitHubException.Unavailable("clone-empty", "The gist's repository has no commit"));
		}
		catch (GitAPIException ex) {
			throw failure("ls-remote", pullUrl, ex);
		}
	}

	/** The files of a commit, if a clone recorded them before. */
	public Optional<List<GistTreeEntry>> cachedTree(String commitSha) {
		String value = this.redis.opsForValue().get(TREE_PREFIX + commitSha);
		this.meters.counter("gistgrep.cache", "cache", "tree", "result", (value != null) ? "hit" : "miss").increment();
		if (value == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(this.json.readValue(value, TREE));
		}
		catch (JacksonException ex) {
			log.warn("Ignoring an unreadable cached tree of commit {}: {}", commitSha, ex.getMessage());
			return Optional.empty();
		}
	}

	/**
	 * Clones a gist; the caller closes the clone, which removes it from disk.
	 * @throws GitHubException.Unavailable when the gist is gone, or its files add up to
	 * more than the per-gist cap
	 * @throws GitHubException.Transient when the clone failed for a reason that may pass
	 */
	public ClonedGist clone(String pullUrl) {
		URI uri = checked(pullUrl);
		Path directory;
		try {
			directory = Files.createTempDirectory("gistgrep-clone-");
		}
		catch (IOException ex) {
			throw new GitHubException.Transient("Could not create a directory to clone into: " + ex.getMessage(), ex);
		}
		Git git;
		try (HostLimiter.Permit permit = this.hosts.acquire(uri.getHost())) {
			git = Git.cloneRepository()
				.setURI(pullUrl)
				.setBare(true)
				.setDepth(1)
				.setDirectory(directory.toFile())
				.setTimeout(timeoutSeconds())
				.call();
			count("clone", "ok");
		}
		catch (GitAPIException | RuntimeException ex) {
			delete(directory);
			throw (ex instanceof GitAPIException api) ? failure("clone", pullUrl, api) : (RuntimeException) ex;
		}
		ClonedGist clone = new ClonedGist(git, directory);
		try {
			List<GistTreeEntry> files = clone.readTree();
			long total = files.stream().mapToLong(GistTreeEntry::size).sum();
			long cap = this.properties.maxCloneSize().toBytes();
			if (total > cap) {
				throw new GitHubException.Unavailable(ClonedGist.TOO_LARGE,
						"The gist's files add up to " + total + " bytes, over the cap of " + cap);
			}
			this.redis.opsForValue()
				.set(TREE_PREFIX + clone.commitSha(), this.json.writeValueAsString(files), TREE_TTL);
			return clone;
		}
		catch (RuntimeException ex) {
			clone.close();
			throw ex;
		}
	}

	private URI checked(String pullUrl) {
		URI uri;
		try {
			uri = URI.create(pullUrl);
		}
		catch (IllegalArgumentException ex) {
			throw new GitHubException.Unavailable("invalid-pull-url", "Not a URL: " + pullUrl);
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : "";
		if (!(scheme.equals("https") || scheme.equals("http")) || !this.allowedHosts.contains(host)
				|| uri.getUserInfo() != null) {
			throw new GitHubException.Unavailable("git-host-not-allowed",
					"git_pull_url host " + host + " is not in GISTGREP_GITHUB_GIT_HOSTS");
		}
		return uri;
	}

	private int timeoutSeconds() {
		return (int) Math.max(1, this.properties.readTimeout().toSeconds());
	}

	private GitHubException failure(String kind, String pullUrl, GitAPIException ex) {
		boolean gone = ex instanceof InvalidRemoteException || causedBy(ex, NoRemoteRepositoryException.class);
		count(kind, gone ? "not-found" : "error");
		if (gone) {
			return new GitHubException.Unavailable("clone-not-found", "The gist's repository is gone: " + pullUrl);
		}
		return new GitHubException.Transient(kind + " of " + pullUrl + " failed: " + ex.getMessage(), ex);
	}

	private void count(String kind, String status) {
		this.meters.counter("gistgrep.github.requests", "kind", kind, "status", status).increment();
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static Optional<String> head(Map<String, Ref> refs) {
		Ref head = refs.get(Constants.HEAD);
		if (head != null && head.getObjectId() != null) {
			return Optional.of(head.getObjectId().name());
		}
		return refs.values()
			.stream()
			.filter((ref) -> ref.getName().startsWith(Constants.R_HEADS) && ref.getObjectId() != null)
			.map((ref) -> ref.getObjectId().name())
			.findFirst();
	}

	private static void delete(Path directory) {
		try {
			FileUtils.delete(directory.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
		}
		catch (IOException ex) {
			log.warn("Could not remove the clone at {}: {}", directory, ex.getMessage());
		}
	}

	/** A gist cloned to disk; closing it removes it. */
	public static final class ClonedGist implements AutoCloseable {

		/** The skip reason of a gist over the per-gist cap. */
		public static final String TOO_LARGE = "clone-too-large";

		private final Git git;

		private final Path directory;

		private final ObjectReader reader;

		private ClonedGist(Git git, Path directory) {
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

	}

}
