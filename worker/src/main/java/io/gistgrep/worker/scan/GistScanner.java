package io.gistgrep.worker.scan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.gistgrep.scanner.FileScan;
import io.gistgrep.scanner.ScanLimits;
import io.gistgrep.scanner.Scanner;
import io.gistgrep.scanner.SearchPattern;
import io.gistgrep.db.gist.FileResult;
import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.db.gist.GistRef;
import io.gistgrep.worker.github.BlobSha;
import io.gistgrep.worker.github.ClonedGist;
import io.gistgrep.worker.github.GistClones;
import io.gistgrep.worker.github.GistTreeEntry;
import io.gistgrep.worker.github.GitHubClient;
import io.gistgrep.worker.github.GitHubException;
import io.gistgrep.worker.github.GitHubProperties;
import io.gistgrep.worker.github.RawFiles;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * Searches every file of one gist, from the cheapest source that has it: the scan result
 * cache (by blob SHA and pattern), the content cache, the raw host, or a shallow clone
 * for files over the raw host's limit and for gists whose file list GitHub truncated. A
 * listed gist's files are fetched concurrently, on virtual threads, within the per-host
 * bound of the client.
 * <p>
 * Files that cannot be searched (binary, gone, over the per-gist clone cap) are results
 * with a skip reason; what may pass (a 5xx, a timeout, a rate limit) is thrown, for the
 * task to be retried or parked. Whatever was fetched before that is cached, so a retry
 * asks only for the rest.
 */
@Component
class GistScanner {

	static final String TOO_LARGE = "too-large";

	private static final Logger log = LoggerFactory.getLogger(GistScanner.class);

	private final GitHubClient github;

	private final RawFiles rawFiles;

	private final GistClones clones;

	private final ScanCache results;

	private final ScanMeters meters;

	private final ScanLimits limits;

	private final long maxRawFileSize;

	private final long maxCloneSize;

	GistScanner(GitHubClient github, RawFiles rawFiles, GistClones clones, ScanCache results, ScanMeters meters,
			ScanProperties scan, GitHubProperties gitHub) {
		this.github = github;
		this.rawFiles = rawFiles;
		this.clones = clones;
		this.results = results;
		this.meters = meters;
		this.limits = scan.limits();
		this.maxRawFileSize = gitHub.maxRawFileSize().toBytes();
		this.maxCloneSize = gitHub.maxCloneSize().toBytes();
	}

	/**
	 * A gist's scan: its outcome, the gist-level reason when it was skipped for more than
	 * its files' own reasons, and each file's result.
	 */
	record GistScan(GistOutcome outcome, @Nullable String error, List<FileResult> files) {

		static GistScan of(List<FileResult> files, @Nullable String error) {
			boolean skipped = error != null || files.stream().anyMatch((file) -> file.skipReason() != null);
			return new GistScan(skipped ? GistOutcome.SKIPPED : GistOutcome.SCANNED, error, files);
		}

	}

	/** A gist to scan for a pattern, in a batch. */
	record Planned(GistRef gist, SearchPattern pattern) {

	}

	/** A gist's scan on its own: its caches looked up and kept as a batch of one. */
	GistScan scan(GistRef gist, SearchPattern pattern) {
		CacheBatch caches = lookUp(List.of(new Planned(gist, pattern)));
		try {
			return scan(gist, pattern, caches);
		}
		finally {
			keep(caches);
		}
	}

	/**
	 * A gist's scan within a batch: the cached results and contents of its files as
	 * {@code caches} read them up front, what it finds and fetches kept in {@code caches}
	 * for {@link #keep}.
	 */
	GistScan scan(GistRef gist, SearchPattern pattern, CacheBatch caches) {
		Search search = new Search(pattern, caches);
		if (gist.truncated()) {
			return scanTruncated(gist, search);
		}
		return scanListed(gist, search);
	}

	/**
	 * Reads what the caches hold for the listed files of a batch's gists, in a round trip
	 * or two to Redis for the whole batch ({@link CacheBatch#read}).
	 */
	CacheBatch lookUp(List<Planned> planned) {
		return CacheBatch.read(this.results, this.rawFiles, this.limits, this.maxRawFileSize, planned);
	}

	/**
	 * Writes what a batch's scans found and fetched to the caches; call it when the
	 * batch's scans are done, whether they succeeded or not, so that a retry asks GitHub
	 * only for the rest.
	 */
	void keep(CacheBatch caches) {
		caches.write();
	}

	/**
	 * Every file is listed: small ones come from the raw host, large ones from one clone.
	 */
	private GistScan scanListed(GistRef gist, Search search) {
		List<GistFile> files = gist.files();
		List<Callable<FileResult>> work = new ArrayList<>();
		for (GistFile file : files) {
			work.add((file.size() > this.maxRawFileSize) ? () -> search.cachedOnly(file) : () -> search.raw(file));
		}
		List<FileResult> results = new ArrayList<>(concurrently(work));
		Map<Integer, GistFile> uncloned = new LinkedHashMap<>();
		for (int i = 0; i < results.size(); i++) {
			if (results.get(i) == null) {
				uncloned.put(i, files.get(i));
			}
		}
		if (uncloned.isEmpty()) {
			return GistScan.of(results, null);
		}
		String error = null;
		long total = files.stream().mapToLong(GistFile::size).sum();
		if (total > this.maxCloneSize) {
			error = ClonedGist.TOO_LARGE;
		}
		else {
			try (ClonedGist clone = this.clones.clone(pullUrl(gist))) {
				Map<String, String> shas = new LinkedHashMap<>();
				clone.readTree().forEach((entry) -> shas.put(entry.path(), entry.blobSha()));
				uncloned.forEach((index, file) -> {
					String sha = BlobSha.of(file.rawUrl()).orElse(shas.get(file.filename()));
					Optional<byte[]> content = (sha != null) ? clone.read(sha) : Optional.empty();
					results.set(index, content.map((bytes) -> search.content(file, sha, bytes))
						.orElseGet(() -> skipped(file, "not-in-clone")));
				});
			}
			catch (GitHubException.Unavailable ex) {
				log.info("Not cloning gist {}: {}", gist.id(), ex.getMessage());
				error = ex.reason();
			}
		}
		if (error != null) {
			String reason = error;
			uncloned.forEach((index, file) -> results.set(index,
					skipped(file, reason.equals(ClonedGist.TOO_LARGE) ? TOO_LARGE : reason)));
		}
		return GistScan.of(results, error);
	}

	/**
	 * GitHub listed only some files: the commit's file list comes from a clone (or from
	 * the cache, by commit SHA, when every file's result is cached too).
	 */
	private GistScan scanTruncated(GistRef gist, Search search) {
		long listed = gist.files().stream().mapToLong(GistFile::size).sum();
		if (listed > this.maxCloneSize) {
			return onlyListed(gist, search, ClonedGist.TOO_LARGE);
		}
		String pullUrl;
		try {
			pullUrl = pullUrl(gist);
			String commit = this.clones.headCommit(pullUrl);
			Optional<List<GistTreeEntry>> tree = this.clones.cachedTree(commit);
			if (tree.isPresent()) {
				List<FileResult> cached = new ArrayList<>();
				for (GistTreeEntry entry : tree.get()) {
					Optional<FileScan> scan = search.cached(entry.blobSha());
					if (scan.isEmpty()) {
						break;
					}
					cached.add(result(fileOf(gist, entry), scan.get()));
				}
				if (cached.size() == tree.get().size()) {
					return GistScan.of(cached, null);
				}
			}
		}
		catch (GitHubException.Unavailable ex) {
			return onlyListed(gist, search, ex.reason());
		}
		try (ClonedGist clone = this.clones.clone(pullUrl)) {
			List<FileResult> results = new ArrayList<>();
			for (GistTreeEntry entry : clone.readTree()) {
				GistFile file = fileOf(gist, entry);
				Optional<FileScan> cached = search.cached(entry.blobSha());
				if (cached.isPresent()) {
					results.add(result(file, cached.get()));
				}
				else {
					results.add(clone.read(entry.blobSha())
						.map((bytes) -> search.content(file, entry.blobSha(), bytes))
						.orElseGet(() -> skipped(file, "not-in-clone")));
				}
			}
			return GistScan.of(results, null);
		}
		catch (GitHubException.Unavailable ex) {
			return onlyListed(gist, search, ex.reason());
		}
	}

	/**
	 * The {@code git_pull_url} of a gist that needs a clone: as the listing gave it (kept
	 * with the job's gists in the database), or else asked of GitHub (one API request).
	 */
	private String pullUrl(GistRef gist) {
		return (gist.gitPullUrl() != null) ? gist.gitPullUrl() : this.github.pullUrl(gist.id());
	}

	/** The listed files only, from the raw host: the gist counts as skipped. */
	private GistScan onlyListed(GistRef gist, Search search, String reason) {
		log.info("Scanning only the listed files of gist {}: {}", gist.id(), reason);
		List<Callable<FileResult>> work = new ArrayList<>();
		for (GistFile file : gist.files()) {
			work.add(() -> (file.size() > this.maxRawFileSize) ? skipped(file, TOO_LARGE) : search.raw(file));
		}
		return GistScan.of(concurrently(work), reason);
	}

	/** A file the listing did not name, described from the clone. */
	private static GistFile fileOf(GistRef gist, GistTreeEntry entry) {
		for (GistFile file : gist.files()) {
			if (file.filename().equals(entry.path())) {
				return file;
			}
		}
		return new GistFile(entry.path(), null, null, rawUrlLike(gist, entry), entry.size());
	}

	/**
	 * A raw URL for a file the listing did not name, made from a listed sibling's (GitHub
	 * gave that one): same gist, this file's blob SHA and name.
	 */
	private static String rawUrlLike(GistRef gist, GistTreeEntry entry) {
		for (GistFile sibling : gist.files()) {
			int raw = sibling.rawUrl().indexOf("/raw/");
			if (raw >= 0) {
				// Every byte but an unreserved one escaped, as in the listed raw_urls
				// (encodePathSegment would leave sub-delims such as + ( ) ; = as they
				// are).
				return sibling.rawUrl().substring(0, raw + 5) + entry.blobSha() + "/"
						+ UriUtils.encode(entry.path(), StandardCharsets.UTF_8);
			}
		}
		return gist.htmlUrl();
	}

	private static FileResult skipped(GistFile file, String reason) {
		return new FileResult(file, reason, 0, List.of());
	}

	private static FileResult result(GistFile file, FileScan scan) {
		return new FileResult(file, scan.skipReason(), scan.matchCount(), scan.matches());
	}

	/**
	 * Runs each piece of work on its own virtual thread and waits for all. When some
	 * failed, throws one failure, a rate limit first (the task is then parked rather than
	 * retried): the others' work is cached, not lost.
	 */
	private static List<FileResult> concurrently(List<Callable<FileResult>> work) {
		List<FileResult> results = new ArrayList<>();
		RuntimeException failure = null;
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<FileResult>> futures = work.stream().map(executor::submit).toList();
			for (Future<FileResult> future : futures) {
				try {
					results.add(future.get());
				}
				catch (ExecutionException ex) {
					RuntimeException cause = (ex.getCause() instanceof RuntimeException runtime) ? runtime
							: new IllegalStateException(ex.getCause());
					if (failure == null || (cause instanceof GitHubException.RateLimited
							&& !(failure instanceof GitHubException.RateLimited))) {
						failure = cause;
					}
					results.add(null);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while scanning", ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
		return results;
	}

	/** One gist's search for one pattern. */
	private final class Search {

		private final SearchPattern pattern;

		private final Scanner scanner;

		private final CacheBatch caches;

		private final String patternKey;

		Search(SearchPattern pattern, CacheBatch caches) {
			this.pattern = pattern;
			this.scanner = new Scanner(pattern, GistScanner.this.limits);
			this.caches = caches;
			this.patternKey = ScanCache.patternKey(pattern.source(), GistScanner.this.limits);
		}

		Optional<FileScan> cached(String blobSha) {
			return this.caches.result(ScanCache.key(blobSha, this.patternKey));
		}

		/** A listed file's result from the cache, or null when it needs a clone. */
		@Nullable FileResult cachedOnly(GistFile file) {
			return BlobSha.of(file.rawUrl()).flatMap(this::cached).map((scan) -> result(file, scan)).orElse(null);
		}

		FileResult raw(GistFile file) {
			Optional<String> sha = BlobSha.of(file.rawUrl());
			Optional<FileScan> cached = sha.flatMap(this::cached);
			if (cached.isPresent()) {
				return result(file, cached.get());
			}
			RawFiles.Named content;
			try {
				content = GistScanner.this.rawFiles.named(file.rawUrl(), file.size(), this.caches.contents());
			}
			catch (GitHubException.Unavailable ex) {
				log.info("Skipping {}: {}", file.rawUrl(), ex.getMessage());
				return skipped(file, ex.reason());
			}
			return scanned(file, content.blobSha(), content.bytes());
		}

		/**
		 * Scans bytes and keeps the result for the cache under their blob SHA, if they
		 * are what the SHA names.
		 */
		FileResult content(GistFile file, @Nullable String blobSha, byte[] content) {
			return scanned(file, (blobSha != null && BlobSha.compute(content).equals(blobSha)) ? blobSha : null,
					content);
		}

		/**
		 * Scans bytes and keeps the result for the cache under {@code checkedSha}, the
		 * blob SHA they were checked to be (none: not kept).
		 */
		private FileResult scanned(GistFile file, @Nullable String checkedSha, byte[] content) {
			long start = System.nanoTime();
			FileScan scan = this.scanner.scan(content);
			GistScanner.this.meters.scanned(this.pattern.engineMode(), content.length, System.nanoTime() - start);
			if (checkedSha != null) {
				this.caches.keep(ScanCache.key(checkedSha, this.patternKey), scan);
			}
			return result(file, scan);
		}

	}

}
