package io.gistgrep.api.ratelimit;

/**
 * The limits, each a token bucket per subject (a tenant, or a client address). Its name
 * is the policy's name in the {@code RateLimit-Policy} and {@code RateLimit} headers.
 */
enum Limit {

	/** Submissions per tenant. */
	JOBS("jobs", "This tenant may submit %d jobs a minute."),

	/** Every other request per tenant. */
	READS("reads", "This tenant may make %d requests other than submissions a minute."),

	/** Keyless legacy calls per client address. */
	ANONYMOUS("anonymous", "Calls without an API key may make %d searches a minute per client address.");

	private final String policy;

	private final String explanation;

	Limit(String policy, String explanation) {
		this.policy = policy;
		this.explanation = explanation;
	}

	String policy() {
		return this.policy;
	}

	String explain(int perMinute) {
		return this.explanation.formatted(perMinute);
	}

	/** The Redis key of {@code subject}'s bucket. */
	String key(String subject) {
		return "gistgrep:ratelimit:" + this.policy + ":" + subject;
	}

}
