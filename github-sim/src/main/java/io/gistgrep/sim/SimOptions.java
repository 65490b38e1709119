package io.gistgrep.sim;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How to start a {@link GitHubSim}.
 *
 * @param apiPort the API listener's port, 0 for an ephemeral one
 * @param rawPort the raw content listener's port, 0 for an ephemeral one
 * @param rawBaseUrl the raw content base URL to advertise in {@code raw_url}, or
 * {@code null} for {@code http://<host the client used>:<raw port>}
 * @param quotaPerHour the hourly quota of a token
 * @param unauthenticatedQuotaPerHour the hourly quota of an IP address without a token
 * @param faults the faults to inject from the start
 * @param seed the seed of users materialised on demand ({@code synthetic-<n>})
 * @param contentBindAddress the IP address of the content listener (raw files and git),
 * {@code 127.0.0.2} by default so that its host name differs from the API's
 * ({@code 127.0.0.1}) as {@code gist.githubusercontent.com} differs from
 * {@code api.github.com}; a wildcard address ({@code 0.0.0.0}) advertises the host the
 * client used instead, for a simulator reached by a container name
 * @param requireUserAgent whether API requests without a {@code User-Agent} are refused
 * with 403, as GitHub refuses them
 */
public record SimOptions(int apiPort, int rawPort, @Nullable String rawBaseUrl, int quotaPerHour,
		int unauthenticatedQuotaPerHour, SimFaults faults, long seed, String contentBindAddress,
		boolean requireUserAgent) {

	/** The default address of the content listener. */
	public static final String CONTENT_BIND_ADDRESS = "127.0.0.2";

	public SimOptions {
		Objects.requireNonNull(faults, "faults");
		Objects.requireNonNull(contentBindAddress, "contentBindAddress");
		if (apiPort < 0 || apiPort > 65535 || rawPort < 0 || rawPort > 65535) {
			throw new IllegalArgumentException("A port must lie between 0 and 65535");
		}
		if (quotaPerHour < 0 || unauthenticatedQuotaPerHour < 0) {
			throw new IllegalArgumentException("A quota cannot be negative");
		}
		if (rawBaseUrl != null) {
			rawBaseUrl = rawBaseUrl.endsWith("/") ? rawBaseUrl.substring(0, rawBaseUrl.length() - 1) : rawBaseUrl;
		}
	}

	/**
	 * Ephemeral ports, GitHub's quotas (5,000 and 60 an hour), no faults, seed 42, raw
	 * files and git on {@code 127.0.0.2}, a {@code User-Agent} required.
	 * @return the default options
	 */
	public static SimOptions defaults() {
		return new SimOptions(0, 0, null, 5000, 60, SimFaults.none(), 42, CONTENT_BIND_ADDRESS, true);
	}

	public SimOptions withApiPort(int apiPort) {
		return new SimOptions(apiPort, this.rawPort, this.rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, this.seed, this.contentBindAddress,
				this.requireUserAgent);
	}

	public SimOptions withRawPort(int rawPort) {
		return new SimOptions(this.apiPort, rawPort, this.rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, this.seed, this.contentBindAddress,
				this.requireUserAgent);
	}

	public SimOptions withRawBaseUrl(@Nullable String rawBaseUrl) {
		return new SimOptions(this.apiPort, this.rawPort, rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, this.seed, this.contentBindAddress,
				this.requireUserAgent);
	}

	public SimOptions withQuotaPerHour(int quotaPerHour) {
		return new SimOptions(this.apiPort, this.rawPort, this.rawBaseUrl, quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, this.seed, this.contentBindAddress,
				this.requireUserAgent);
	}

	public SimOptions withUnauthenticatedQuotaPerHour(int unauthenticatedQuotaPerHour) {
		return new SimOptions(this.apiPort, this.rawPort, this.rawBaseUrl, this.quotaPerHour,
				unauthenticatedQuotaPerHour, this.faults, this.seed, this.contentBindAddress, this.requireUserAgent);
	}

	public SimOptions withFaults(SimFaults faults) {
		return new SimOptions(this.apiPort, this.rawPort, this.rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, faults, this.seed, this.contentBindAddress, this.requireUserAgent);
	}

	public SimOptions withSeed(long seed) {
		return new SimOptions(this.apiPort, this.rawPort, this.rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, seed, this.contentBindAddress, this.requireUserAgent);
	}

	public SimOptions withContentBindAddress(String contentBindAddress) {
		return new SimOptions(this.apiPort, this.rawPort, this.rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, this.seed, contentBindAddress, this.requireUserAgent);
	}

	public SimOptions withRequireUserAgent(boolean requireUserAgent) {
		return new SimOptions(this.apiPort, this.rawPort, this.rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, this.seed, this.contentBindAddress, requireUserAgent);
	}

}
