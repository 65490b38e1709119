package io.gistgrep.worker.github;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Fetches the bytes of gist files from their {@code raw_url}: only from allowed hosts,
 * never with a token, each request within the host's shared budget ({@link HostBudget}: a
 * throttle backs the host off for every worker and parks the work), and never more than
 * the raw size limit (checked while reading); redirects are followed, at most three, each
 * only to an allowed raw host. Small files are kept in the content cache by blob SHA, so
 * the same bytes are fetched once for every worker.
 */
@Component
public class RawFiles {

	/** Redirects followed on raw fetches, each to an allowed raw host. */
	static final int MAX_REDIRECTS = 3;

	private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

	private final RawHttp http;

	private final AllowedHosts allowed;

	private final HostLimiter hosts;

	private final HostBudget budget;

	private final ContentCache contents;

	private final long maxSize;

	private final Clock clock;

	RawFiles(RawHttp http, AllowedHosts allowed, HostLimiter hosts, HostBudget budget, ContentCache contents,
			GitHubProperties properties) {
		this.http = http;
		this.allowed = allowed;
		this.hosts = hosts;
		this.budget = budget;
		this.contents = contents;
		this.maxSize = properties.maxRawFileSize().toBytes();
		this.clock = Clock.systemUTC();
	}

	/**
	 * The bytes of a listed file: from the content cache when its blob SHA is there, else
	 * from its {@code raw_url} (then cached, if small and its SHA checks out).
	 * @param size the file's size as listed
	 * @throws GitHubException.Unavailable when the file is gone, too large, or on a host
	 * that is not allowed
	 */
	public byte[] content(String rawUrl, long size) {
		return named(rawUrl, size, CachedContents.none()).bytes();
	}

	/**
	 * The bytes of a listed file, as {@link #content(String, long)}, within a batch (its
	 * cached content as read up front when it was, its fetched content kept for
	 * {@link #keep}), with the blob SHA they were found to be: checked once, here, for
	 * the content cache and the caller's.
	 */
	public Named named(String rawUrl, long size, CachedContents batch) {
		Optional<String> sha = BlobSha.of(rawUrl);
		if (sha.isPresent() && this.contents.accepts(size)) {
			Optional<byte[]> cached = batch.asked(sha.get()) ? batch.found(sha.get()) : this.contents.get(sha.get());
			if (cached.isPresent()) {
				// Cached only once checked against its SHA.
				return new Named(cached.get(), sha.get());
			}
		}
		byte[] content = fetch(rawUrl);
		String named = sha.filter((s) -> BlobSha.compute(content).equals(s)).orElse(null);
		if (named != null && this.contents.accepts(content.length) && !batch.defer(named, content)) {
			this.contents.put(named, content);
		}
		return new Named(content, named);
	}

	/**
	 * A file's bytes.
	 *
	 * @param bytes the bytes
	 * @param blobSha the blob SHA they were checked to be, or null when the file's
	 * {@code raw_url} names none or they are not the blob it names
	 */
	public record Named(byte[] bytes, @Nullable String blobSha) {

	}

	/**
	 * Reads the cached contents of a batch's files in one round trip, for {@link #named}:
	 * those the cache may hold (small, named by their blob SHA), up to
	 * {@link CachedContents#MAX_READ_BYTES} of them as listed; the others are read one by
	 * one.
	 * @param files each file's {@code raw_url} and listed size
	 */
	public CachedContents cachedContents(Map<String, Long> files) {
		List<String> shas = new ArrayList<>();
		Set<String> asked = new HashSet<>();
		long bytes = 0;
		for (Map.Entry<String, Long> file : files.entrySet()) {
			Optional<String> sha = BlobSha.of(file.getKey());
			if (sha.isPresent() && this.contents.accepts(file.getValue())
					&& bytes + file.getValue() <= CachedContents.MAX_READ_BYTES && asked.add(sha.get())) {
				shas.add(sha.get());
				bytes += file.getValue();
			}
		}
		return new CachedContents(asked, this.contents.getAll(shas), true);
	}

	/** Writes the contents a batch fetched to the cache, in one round trip. */
	public void keep(CachedContents batch) {
		this.contents.putAll(batch.drain());
	}

	/**
	 * The bytes of a file, from its {@code raw_url}; never with a token. Redirects are
	 * followed, at most {@link #MAX_REDIRECTS}, each only to an allowed raw host; the
	 * size cap is enforced while reading.
	 * @throws GitHubException.Unavailable when the file is gone, too large, or on a host
	 * that is not allowed
	 */
	public byte[] fetch(String rawUrl) {
		URI uri = this.allowed.rawUrl(rawUrl);
		for (int hop = 0;; hop++) {
			String host = HostBudget.name(uri);
			RawHttp.Answer response;
			// This worker's permit (its adaptive limit for the host) first: a shared slot
			// is never held while waiting for one.
			try (HostLimiter.Permit permit = this.hosts.acquireContent(uri);
					HostBudget.Lease lease = this.budget.acquire(host)) {
				response = send(uri, permit);
				GitHubAnswer answer = new GitHubAnswer(response.status(), response.headers(), this.clock.instant());
				if (answer.contentHostThrottle()) {
					permit.dropped();
					throw lease.throttled(response.status(), answer.retryAfter().orElse(null));
				}
				boolean good = response.status() < 500;
				lease.answered(good);
				if (good) {
					permit.answered();
				}
				else {
					permit.dropped();
				}
			}
			Optional<String> location = response.headers().firstValue("location");
			if (REDIRECTS.contains(response.status()) && location.isPresent()) {
				if (hop >= MAX_REDIRECTS) {
					throw new GitHubException.Unavailable("too-many-redirects",
							"raw_url redirected more than " + MAX_REDIRECTS + " times");
				}
				uri = this.allowed.rawUrl(uri.resolve(location.get()).toString());
				continue;
			}
			new GitHubAnswer(response.status(), response.headers(), this.clock.instant()).checkRaw(uri.getPath());
			return response.body();
		}
	}

	/** Sends; a timeout or an I/O error is the host pushing back, for the permit. */
	private RawHttp.Answer send(URI uri, HostLimiter.Permit permit) {
		try {
			return this.http.get(uri, this.maxSize);
		}
		catch (GitHubException.Transient ex) {
			permit.dropped();
			throw ex;
		}
	}

}
