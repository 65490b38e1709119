package io.gistgrep.worker.github;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.UserAgent;

import org.springframework.stereotype.Component;

/**
 * Shallow clones of gists (JGit, depth 1, bare, into a temporary directory removed
 * afterwards), for files the raw host refuses (over 10 MB) and for gists whose file list
 * the API truncates (over 300 files). Clones go only to allowed hosts, never with a
 * token, within the per-host concurrency bound. A clone's file list goes to the
 * {@link TreeCache}, by commit SHA, which a cheap {@code ls-remote} tells.
 */
@Component
public class GistClones {

	private final GitHubProperties properties;

	private final AllowedHosts allowed;

	private final HostLimiter hosts;

	private final HostBudget budget;

	private final TreeCache trees;

	private final MeterRegistry meters;

	GistClones(GitHubProperties properties, AllowedHosts allowed, HostLimiter hosts, HostBudget budget, TreeCache trees,
			MeterRegistry meters) {
		this.properties = properties;
		this.allowed = allowed;
		this.hosts = hosts;
		this.budget = budget;
		this.trees = trees;
		this.meters = meters;
		// JGit sends one User-Agent for the whole JVM; only the worker clones.
		UserAgent.set(properties.userAgent());
	}

	/**
	 * The SHA of the commit a gist's repository points at, from an {@code ls-remote}.
	 */
	public String headCommit(String pullUrl) {
		URI uri = this.allowed.pullUrl(pullUrl);
		try (HostLimiter.Permit permit = this.hosts.acquireContent(uri);
				HostBudget.Lease lease = this.budget.acquire(HostBudget.name(uri))) {
			Map<String, Ref> refs = throttled(permit, lease,
					() -> Git.lsRemoteRepository().setRemote(pullUrl).setTimeout(timeoutSeconds()).callAsMap());
			lease.answered(true);
			permit.answered();
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
		return this.trees.get(commitSha);
	}

	/**
	 * Clones a gist; the caller closes the clone, which removes it from disk.
	 * @throws GitHubException.Unavailable when the gist is gone, or its files add up to
	 * more than the per-gist cap
	 * @throws GitHubException.Transient when the clone failed for a reason that may pass
	 */
	public ClonedGist clone(String pullUrl) {
		URI uri = this.allowed.pullUrl(pullUrl);
		Path directory;
		try {
			directory = Files.createTempDirectory("gistgrep-clone-");
		}
		catch (IOException ex) {
			throw new GitHubException.Transient("Could not create a directory to clone into: " + ex.getMessage(), ex);
		}
		Git git;
		// A clone's time says how large the gist is, not how loaded the host is: it
		// tells the adaptive limit only of a throttle.
		try (HostLimiter.Permit permit = this.hosts.acquireContent(uri);
				HostBudget.Lease lease = this.budget.acquire(HostBudget.name(uri), HostBudget.CLONE_LEASE)) {
			git = throttled(permit, lease,
					() -> Git.cloneRepository()
						.setURI(pullUrl)
						.setBare(true)
						.setDepth(1)
						.setDirectory(directory.toFile())
						.setTimeout(timeoutSeconds())
						.call());
			lease.answered(true);
			count("clone", "ok");
		}
		catch (GitAPIException | RuntimeException ex) {
			ClonedGist.delete(directory);
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
			this.trees.put(clone.commitSha(), files);
			return clone;
		}
		catch (RuntimeException ex) {
			clone.close();
			throw ex;
		}
	}

	/** A JGit command, run so that a throttle by the git host backs the host off. */
	private interface GitCall<T> {

		T call() throws GitAPIException;

	}

	/**
	 * Runs {@code call}; when the git host throttled it (JGit reports the HTTP status
	 * only in its message), backs the host off for every worker and parks the work.
	 */
	private <T> T throttled(HostLimiter.Permit permit, HostBudget.Lease lease, GitCall<T> call) throws GitAPIException {
		try {
			return call.call();
		}
		catch (GitAPIException ex) {
			int status = throttleStatus(ex);
			if (status > 0) {
				count("git", Integer.toString(status));
				permit.dropped();
				throw lease.throttled(status, null);
			}
			throw ex;
		}
	}

	/**
	 * JGit's message for an HTTP status it does not expect:
	 * {@code <uri>: <status> <reason>} at the end of a {@link TransportException}'s
	 * message.
	 */
	private static final Pattern STATUS_AT_END = Pattern.compile(": (\\d{3})(?: [^:]*)?$");

	/**
	 * 429 when JGit's failure says the git host answered {@code 429 Too Many Requests},
	 * else 0. Only the status JGit appends after the URL counts (a gist id may hold
	 * "429"); a 403 from the git host is JGit's "not permitted", a refusal of that gist,
	 * not a throttle of the host.
	 */
	static int throttleStatus(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TransportException && cause.getMessage() != null) {
				Matcher matcher = STATUS_AT_END.matcher(cause.getMessage().strip());
				if (matcher.find() && matcher.group(1).equals("429")) {
					return 429;
				}
			}
		}
		return 0;
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

}
