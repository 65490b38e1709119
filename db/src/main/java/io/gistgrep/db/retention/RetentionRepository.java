package io.gistgrep.db.retention;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The PostgreSQL advisory lock that says "a retention run is in progress". It is taken
 * for the caller's transaction, so it is released however that transaction ends, even
 * when the process dies.
 */
@Repository
public class RetentionRepository {

	/** Arbitrary, fixed: the lock's key ("gistgrep" in ASCII). */
	public static final long LOCK = 0x6769_7374_6772_6570L;

	private final JdbcClient jdbc;

	public RetentionRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Takes the lock for the current transaction, without waiting.
	 * @return false when another transaction (another replica) holds it
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean tryLock() {
		return Boolean.TRUE.equals(this.jdbc.sql("SELECT pg_try_advisory_xact_lock(:lock)")
			.param("lock", LOCK)
			.query(Boolean.class)
			.single());
	}

}
