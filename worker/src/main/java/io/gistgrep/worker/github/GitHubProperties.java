package io.gistgrep.worker.github;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the worker talks to GitHub ({@code GISTGREP_GITHUB_*}).
 *
 * @param apiUrl the REST API's base URL
 * @param tokens tokens to authenticate with, spread by remaining budget; empty means
 * unauthenticated (60 requests/hour)
 * @param rawHosts hosts that {@code raw_url}s may point at; the API URL's host is always
 * allowed too
 * @param gitHosts hosts that {@code git_pull_url}s may point at; the API URL's host is
 * always allowed too
 * @param connectTimeout the time to open a connection
 * @param readTimeout the time to wait for a response (and, for clones, for each read)
 * @param maxRawFileSize files larger than this are not fetched from {@code raw_url} but
 * cloned; at most GitHub's raw limit (10 MB), above which its raw host answers 403
 * @param maxCloneSize a gist whose files add up to more than this is not cloned but
 * skipped
 * @param maxConcurrencyPerHost requests one worker has in flight to a host without a
 * shared budget (the API host) at most; on a content host, the figure one worker's
 * adaptive limit starts at ({@link HostLimiter})
 * @param contentCacheMaxFileSize files up to this size are kept in Redis by blob SHA
 * @param contentCacheTtl how long cached file content is kept
 * @param secondaryLimitMinWait the first wait after a secondary rate limit that names
 * none, doubled while the limit persists
 * @param secondaryLimitMaxTries how many times in a row a task may meet a secondary rate
 * limit before it is given up
 */
@ConfigurationProperties("gistgrep.github")
public record GitHubProperties(@DefaultValue("https://api.github.com") URI apiUrl, @DefaultValue List<String> tokens,
		@DefaultValue("gist.githubusercontent.com") List<String> rawHosts,
		@DefaultValue("gist.github.com") List<String> gitHosts,
		@DefaultValue("gistgrep/0.1 (+https://gistgrep.dev)") String userAgent,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration readTimeout,
		@DefaultValue("10MB") DataSize maxRawFileSize, @DefaultValue("100MB") DataSize maxCloneSize,
		@DefaultValue("8") int maxConcurrencyPerHost, @DefaultValue("1MB") DataSize contentCacheMaxFileSize,
		@DefaultValue("24h") Duration contentCacheTtl, @DefaultValue("1m") Duration secondaryLimitMinWait,
		@DefaultValue("6") int secondaryLimitMaxTries) {

	public GitHubProperties {
		tokens = tokens.stream().map(String::strip).filter((t) -> !t.isEmpty()).toList();
		rawHosts = rawHosts.stream().map(String::strip).filter((h) -> !h.isEmpty()).toList();
		gitHosts = gitHosts.stream().map(String::strip).filter((h) -> !h.isEmpty()).toList();
		if (maxRawFileSize.compareTo(GITHUB_RAW_LIMIT) > 0) {
			// The raw host answers 403 above its limit, and a content host's 403 is taken
			// for a throttle: asking it for larger files would back it off for everyone.
			throw new IllegalArgumentException("gistgrep.github.max-raw-file-size cannot exceed GitHub's raw limit of "
					+ GITHUB_RAW_LIMIT + "; larger files are cloned");
		}
		if (maxConcurrencyPerHost < 1) {
			throw new IllegalArgumentException("gistgrep.github.max-concurrency-per-host must be at least 1");
		}
		if (secondaryLimitMinWait.compareTo(Duration.ofSeconds(1)) < 0 || secondaryLimitMaxTries < 1) {
			throw new IllegalArgumentException("gistgrep.github.secondary-limit-min-wait must be at least 1s and"
					+ " gistgrep.github.secondary-limit-max-tries at least 1");
		}
	}

	/** The largest file GitHub's raw host serves. */
	static final DataSize GITHUB_RAW_LIMIT = DataSize.ofMegabytes(10);

	GitHubAnswer.SecondaryLimits secondaryLimits() {
		return new GitHubAnswer.SecondaryLimits(this.secondaryLimitMinWait, this.secondaryLimitMaxTries);
	}

	/** Says how many tokens there are, never what they are. */
	@Override
	public String toString() {
		return "GitHubProperties[apiUrl=" + this.apiUrl + ", tokens=" + this.tokens.size() + " (hidden), rawHosts="
				+ this.rawHosts + ", gitHosts=" + this.gitHosts + "]";
	}

}
