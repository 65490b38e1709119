package io.gistgrep.worker.github;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Fetches the bytes of gist files from their {@code raw_url}: only from allowed hosts,
 * never with a token, not at all while the host is blocked after a rate limit, and never
 * more than the raw size limit. Small files are kept in the content cache by blob SHA, so
 * the same bytes are fetched once for every worker.
 */
@Component
public class RawFiles {

	private final GitHubHttp http;

	private final AllowedHosts allowed;

	private final RateBudget budget;

	private final ContentCache contents;

	private final long maxSize;

	private final Clock clock;

	RawFiles(GitHubHttp http, AllowedHosts allowed, RateBudget budget, ContentCache contents,
			GitHubProperties properties) {
		this.http = http;
		this.allowed = allowed;
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
		Optional<String> sha = BlobSha.of(rawUrl);
		if (sha.isPresent() && this.contents.accepts(size)) {
			Optional<byte[]> cached = this.contents.get(sha.get());
			if (cached.isPresent()) {
				return cached.get();
			}
		}
		byte[] content = fetch(rawUrl);
		if (sha.isPresent() && BlobSha.compute(content).equals(sha.get())) {
			this.contents.put(sha.get(), content);
		}
		return content;
	}

	/**
	 * The bytes of a file, from its {@code raw_url}; never with a token.
	 * @throws GitHubException.Unavailable when the file is gone, too large, or on a host
	 * that is not allowed
	 */
	public byte[] fetch(String rawUrl) {
		URI uri = this.allowed.rawUrl(rawUrl);
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		this.budget.checkRawHost(host);
		HttpRequest request = this.http.get(uri).build();
		HttpResponse<byte[]> response = this.http.send(request, (info) -> {
			long length = info.headers().firstValueAsLong("content-length").orElse(-1);
			return (length > this.maxSize) ? HttpResponse.BodySubscribers.replacing(null)
					: HttpResponse.BodySubscribers.ofByteArray();
		}, "raw");
		GitHubAnswer.of(response, this.clock.instant())
			.checkRaw(host, uri.getPath(), (until) -> this.budget.blockRawHost(host, until));
		byte[] bytes = response.body();
		if (bytes == null || bytes.length > this.maxSize) {
			throw new GitHubException.Unavailable("too-large", "file is larger than " + this.maxSize + " bytes");
		}
		return bytes;
	}

}
