package io.gistgrep.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults to inject: a delay before every response, and a chance to answer with an error
 * status instead. Each listener draws from its own random generator seeded with
 * {@code seed}, so a serial sequence of requests sees the same faults on every run.
 *
 * @param apiLatency the delay before each API response
 * @param rawLatency the delay before each raw content response
 * @param apiErrorRate the probability, from 0 to 1, that an API request fails
 * @param rawErrorRate the probability, from 0 to 1, that a raw content request fails
 * @param gitErrorRate the probability, from 0 to 1, that a request of a gist's git
 * repository fails, with status 500 whatever {@code errorStatus} says
 * @param errorStatus the status of an injected failure, for example 502
 * @param seed the seed of the random generators
 */
public record SimFaults(Duration apiLatency, Duration rawLatency, double apiErrorRate, double rawErrorRate,
		double gitErrorRate, int errorStatus, long seed) {

	public SimFaults {
		Objects.requireNonNull(apiLatency, "apiLatency");
		Objects.requireNonNull(rawLatency, "rawLatency");
		if (apiLatency.isNegative() || rawLatency.isNegative()) {
			throw new IllegalArgumentException("A latency cannot be negative");
		}
		if (!(apiErrorRate >= 0 && apiErrorRate <= 1) || !(rawErrorRate >= 0 && rawErrorRate <= 1)
				|| !(gitErrorRate >= 0 && gitErrorRate <= 1)) {
			throw new IllegalArgumentException("An error rate must lie between 0 and 1");
		}
		if (errorStatus < 400 || errorStatus > 599) {
			throw new IllegalArgumentException("An injected error status must be 4xx or 5xx, not " + errorStatus);
		}
	}

	/**
	 * No latency and no errors.
	 * @return faults that inject nothing
	 */
	public static SimFaults none() {
		return new SimFaults(Duration.ZERO, Duration.ZERO, 0, 0, 0, 502, 0);
	}

	public SimFaults withApiLatency(Duration apiLatency) {
		return new SimFaults(apiLatency, this.rawLatency, this.apiErrorRate, this.rawErrorRate, this.gitErrorRate,
				this.errorStatus, this.seed);
	}

	public SimFaults withRawLatency(Duration rawLatency) {
		return new SimFaults(this.apiLatency, rawLatency, this.apiErrorRate, this.rawErrorRate, this.gitErrorRate,
				this.errorStatus, this.seed);
	}

	public SimFaults withApiErrorRate(double apiErrorRate) {
		return new SimFaults(this.apiLatency, this.rawLatency, apiErrorRate, this.rawErrorRate, this.gitErrorRate,
				this.errorStatus, this.seed);
	}

	public SimFaults withRawErrorRate(double rawErrorRate) {
		return new SimFaults(this.apiLatency, this.rawLatency, this.apiErrorRate, rawErrorRate, this.gitErrorRate,
				this.errorStatus, this.seed);
	}

	public SimFaults withErrorStatus(int errorStatus) {
		return new SimFaults(this.apiLatency, this.rawLatency, this.apiErrorRate, this.rawErrorRate, this.gitErrorRate,
				errorStatus, this.seed);
	}

	public SimFaults withSeed(long seed) {
		return new SimFaults(this.apiLatency, this.rawLatency, this.apiErrorRate, this.rawErrorRate, this.gitErrorRate,
				this.errorStatus, seed);
	}

	public SimFaults withGitErrorRate(double gitErrorRate) {
		return new SimFaults(this.apiLatency, this.rawLatency, this.apiErrorRate, this.rawErrorRate, gitErrorRate,
				this.errorStatus, this.seed);
	}

}
