package io.gistgrep.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes a SIGTERM end the worker with status 0 once it has shut down gracefully.
 * <p>
 * The JVM's own handler exits with 143 (128 + 15) after running the shutdown hooks, which
 * supervisors read as a failure: a restart policy of {@code on-failure} restarts a worker
 * that was told to stop, and logs and alerts count every rolling restart as a crash. This
 * handler calls {@link System#exit(int) System.exit(0)} instead, which runs the same
 * hooks, among them Spring Boot's, which closes the context: the listeners stop and the
 * tasks in flight finish or go back to their queues (see
 * {@code messaging.GracefulShutdown}) before the process exits.
 * <p>
 * A SIGKILL, or a SIGINT from a terminal, keeps its usual meaning.
 */
final class ExitOnTerm {

	private static final Logger log = LoggerFactory.getLogger(ExitOnTerm.class);

	private ExitOnTerm() {
	}

	static void install() {
		try {
			Signal.handle(new Signal("TERM"), (signal) -> {
				log.info("SIGTERM: stopping gracefully");
				System.exit(0);
			});
		}
		catch (IllegalArgumentException ex) {
			// No such signal here, or the JVM runs with -Xrs: the default handling stays.
			log.debug("SIGTERM handler not installed: {}", ex.getMessage());
		}
	}

}
