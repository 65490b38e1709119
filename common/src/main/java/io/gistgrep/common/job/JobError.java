package io.gistgrep.common.job;

/**
 * Why a job failed, as the problem object the api shows.
 *
 * @param type a problem type URI, e.g.
 * {@code https://gistgrep.dev/problems/github-user-not-found}
 */
public record JobError(String type, String title, String detail) {

	public static final String TYPE_PREFIX = "https://gistgrep.dev/problems/";

	public static JobError of(String slug, String title, String detail) {
		return new JobError(TYPE_PREFIX + slug, title, detail);
	}

}
