package io.gistgrep.worker.github;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The content cache's part in a batch of scans: the cached contents of the batch's files,
 * read up front in one round trip ({@link RawFiles#cachedContents}), and the contents
 * fetched meanwhile, kept for the end of the batch ({@link RawFiles#keep}) and then
 * written in one round trip. A scan batch of 100 gists with two files each otherwise asks
 * Redis 400 times for this cache alone, and each round trip costs the worker and Redis
 * more than the answer.
 * <p>
 * Contents waiting to be written are bounded ({@link #MAX_WAITING_BYTES}): past that, a
 * file's content is written at once, as without a batch. Safe for the batch's virtual
 * threads to use at once.
 */
public final class CachedContents {

	/** Contents that wait for the end of the batch, in bytes, at most. */
	static final long MAX_WAITING_BYTES = 4L * 1024 * 1024;

	/** Listed bytes that are read up front, at most; other files are read one by one. */
	static final long MAX_READ_BYTES = 8L * 1024 * 1024;

	private final Set<String> asked;

	private final Map<String, byte[]> found;

	private final boolean deferring;

	private final Map<String, byte[]> waiting = new LinkedHashMap<>();

	private long waitingBytes;

	CachedContents(Set<String> asked, Map<String, byte[]> found, boolean deferring) {
		this.asked = Set.copyOf(asked);
		this.found = new HashMap<>(found);
		this.deferring = deferring;
	}

	/**
	 * Nothing read up front and nothing deferred: each file's content is read and kept on
	 * its own.
	 */
	public static CachedContents none() {
		return new CachedContents(Set.of(), Map.of(), false);
	}

	/** Whether {@code blobSha}'s content was asked of the cache up front. */
	boolean asked(String blobSha) {
		return this.asked.contains(blobSha);
	}

	/** The content read up front for {@code blobSha}, if the cache had it. */
	Optional<byte[]> found(String blobSha) {
		return Optional.ofNullable(this.found.get(blobSha));
	}

	/**
	 * Keeps {@code content} for the end of the batch; false when it must be written now
	 * (no batch, or too many bytes waiting already).
	 */
	synchronized boolean defer(String blobSha, byte[] content) {
		if (!this.deferring || this.waitingBytes + content.length > MAX_WAITING_BYTES) {
			return false;
		}
		if (this.waiting.putIfAbsent(blobSha, content) == null) {
			this.waitingBytes += content.length;
		}
		return true;
	}

	/** The contents waiting to be written, handed over once. */
	synchronized Map<String, byte[]> drain() {
		Map<String, byte[]> drained = new LinkedHashMap<>(this.waiting);
		this.waiting.clear();
		this.waitingBytes = 0;
		return drained;
	}

}
