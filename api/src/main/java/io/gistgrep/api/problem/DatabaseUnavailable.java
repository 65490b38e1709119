package io.gistgrep.api.problem;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure that means PostgreSQL is away (down, restarting, unreachable, or this
 * connection killed) from any other, so that it is answered {@code 503} with
 * {@code Retry-After} rather than {@code 500}: the request was fine, and will succeed
 * once the database is back.
 */
public final class DatabaseUnavailable {

	private DatabaseUnavailable() {
	}

	/** Whether {@code failure}, or one of its causes, says PostgreSQL is away. */
	public static boolean in(Throwable failure) {
		int depth = 0;
		for (Throwable cause = failure; cause != null && depth < 20; cause = cause.getCause(), depth++) {
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof CannotCreateTransactionException
					|| cause instanceof DataAccessResourceFailureException
					|| cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException) {
				return true;
			}
			if (cause instanceof SQLException sql && connectionLost(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * SQL states of a lost connection: class 08 (connection exception), 57P01-57P03
	 * (administrator shutdown or command, crash shutdown, cannot connect now).
	 */
	private static boolean connectionLost(String state) {
		return state != null
				&& (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
	}

}
