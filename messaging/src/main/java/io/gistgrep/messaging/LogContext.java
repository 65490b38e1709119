package io.gistgrep.messaging;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * What every log line about a job names, in both apps: {@code job_id}, {@code gist_id}
 * and {@code tenant}, in SLF4J's MDC, so that JSON logs (Spring Boot's structured
 * logging: {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}) carry them as fields and a log
 * search finds a job's lines across the api and every worker. Never a secret: no pattern,
 * no key, no webhook URL.
 * <p>
 * The MDC is per thread: a context opened on a thread is closed on it, by the
 * try-with-resources of {@link #open}, {@link #job} or {@link #gist}, which gives the
 * three keys back the values they had when it opened (none, unless contexts nest).
 */
public final class LogContext implements AutoCloseable {

	public static final String JOB_ID = "job_id";

	public static final String GIST_ID = "gist_id";

	public static final String TENANT = "tenant";

	/** The keys' values before this context: restored when it closes. */
	private final @Nullable String jobId = MDC.get(JOB_ID);

	private final @Nullable String gistId = MDC.get(GIST_ID);

	private final @Nullable String tenant = MDC.get(TENANT);

	private LogContext() {
	}

	/**
	 * A context with nothing in it yet, for code that learns the job later
	 * ({@link #jobId}, {@link #tenant}); closing it removes whatever was put.
	 */
	public static LogContext open() {
		return new LogContext();
	}

	/** Names the job on this thread's lines until closed. */
	public static LogContext job(UUID jobId) {
		LogContext context = new LogContext();
		MDC.put(JOB_ID, jobId.toString());
		return context;
	}

	/** Names the job and one of its gists on this thread's lines until closed. */
	public static LogContext gist(UUID jobId, String gistId) {
		LogContext context = new LogContext();
		MDC.put(JOB_ID, jobId.toString());
		MDC.put(GIST_ID, gistId);
		return context;
	}

	/** Runs {@code work} with this thread's lines naming the job and one of its gists. */
	public static void inGist(UUID jobId, String gistId, Runnable work) {
		try (LogContext context = gist(jobId, gistId)) {
			work.run();
		}
	}

	/**
	 * Adds the job, once known (a job just created); the enclosing context removes it.
	 */
	public static void jobId(UUID jobId) {
		MDC.put(JOB_ID, jobId.toString());
	}

	/**
	 * Adds the job's tenant, once known (a listener learns it when it reads the job); the
	 * enclosing context removes it.
	 */
	public static void tenant(@Nullable String tenant) {
		if (tenant != null) {
			MDC.put(TENANT, tenant);
		}
	}

	@Override
	public void close() {
		restore(JOB_ID, this.jobId);
		restore(GIST_ID, this.gistId);
		restore(TENANT, this.tenant);
	}

	private static void restore(String key, @Nullable String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

}
