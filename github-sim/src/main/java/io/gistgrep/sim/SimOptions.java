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
 */
public record SimOptions(int apiPort, int rawPort, @Nullable String rawBaseUrl, int quotaPerHour,
		int unauthenticatedQuotaPerHour, SimFaults faults, long seed) {

	public SimOptions {
		Objects.requireNonNull(faults, "faults");
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
	 * Ephemeral ports, GitHub's quotas (5,000 and 60 an hour), no faults, seed 42.
	 * @return the default options
	 */
	public static SimOptions defaults() {
		return new SimOptions(0, 0, null, 5000, 60, SimFaults.none(), 42);
	}

	public SimOptions withApiPort(int apiPort) {
		return new SimOptions(apiPort, this.rawPort, this.rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, this.seed);
	}

	public SimOptions withRawPort(int rawPort) {
		return new SimOptions(this.apiPort, rawPort, this.rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, this.seed);
	}

	public SimOptions withRawBaseUrl(@Nullable String rawBaseUrl) {
		return new SimOptions(this.apiPort, this.rawPort, rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, this.seed);
	}

	public SimOptions withQuotaPerHour(int quotaPerHour) {
		return new SimOptions(this.apiPort, this.rawPort, this.rawBaseUrl, quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, this.seed);
	}

	public SimOptions withUnauthenticatedQuotaPerHour(int unauthenticatedQuotaPerHour) {
		return new SimOptions(this.apiPort, this.rawPort, this.rawBaseUrl, this.quotaPerHour,
				unauthenticatedQuotaPerHour, this.faults, this.seed);
	}

	public SimOptions withFaults(SimFaults faults) {
		return new SimOptions(this.apiPort, this.rawPort, this.rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, faults, this.seed);
	}

	public SimOptions withSeed(long seed) {
		return new SimOptions(this.apiPort, this.rawPort, this.rawBaseUrl, this.quotaPerHour,
				this.unauthenticatedQuotaPerHour, this.faults, seed);
	}

}
