package io.gistgrep.worker.reaper;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.gistgrep.common.task.Queues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Finds the jobs that will not end by themselves, on every worker replica, and repairs
 * them ({@link Repairs}). A job ends only through its tasks, and a task can be lost (a
 * message purged or dead-lettered, a count rolled back after its end was due); nothing
 * else would ever end such a job.
 * <p>
 * Safe when several replicas sweep at once: a sweep runs in one transaction that first
 * takes a PostgreSQL advisory lock ({@code pg_try_advisory_xact_lock}), and a replica
 * that does not get it skips its turn. Idempotent: each repair claims its job with a
 * conditional update that marks the repair ({@code reaped_at}), so a job is repaired at
 * most once per threshold even without the lock; each repair runs in a savepoint, so one
 * that fails rolls back alone.
 */
@Component
class Reaper {

	/** The most jobs of each kind one sweep looks at. */
	static final int BATCH = 100;

	private static final Logger log = LoggerFactory.getLogger(Reaper.class);

	private final StuckJobs stuck;

	private final Backlog backlog;

	private final Repairs repairs;

	private final ReaperProperties properties;

	private final TransactionTemplate sweep;

	private final TransactionTemplate savepoint;

	private final MeterRegistry meters;

	Reaper(StuckJobs stuck, Backlog backlog, Repairs repairs, ReaperProperties properties,
			PlatformTransactionManager transactions, MeterRegistry meters) {
		this.stuck = stuck;
		this.backlog = backlog;
		this.repairs = repairs;
		this.properties = properties;
		this.sweep = new TransactionTemplate(transactions);
		this.savepoint = new TransactionTemplate(transactions);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.meters = meters;
		for (Repairs.Kind kind : Repairs.Kind.values()) {
			counter(kind);
		}
	}

	@Scheduled(initialDelayString = "${gistgrep.reaper.interval:1m}",
			fixedDelayString = "${gistgrep.reaper.interval:1m}")
	void scheduled() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			log.warn("The stuck-job reaper's sweep failed; it sweeps again in {}", this.properties.interval(), ex);
		}
	}

	/**
	 * One sweep.
	 * @return what it repaired; empty when another sweep held the lock, or nothing was
	 * stuck
	 */
	List<Repairs.Kind> sweep() {
		List<Repairs.Kind> done = new ArrayList<>();
		// Asked before the transaction, so that a slow broker holds no connection or
		// lock.
		// A task republished while its queue still holds messages could duplicate one
		// that is only late: those repairs wait until the queues are empty.
		boolean startsIdle = this.backlog.idle(Queues.START_JOB);
		boolean workIdle = this.backlog.idle(Queues.LIST_PAGE, Queues.SCAN_GIST);
		this.sweep.executeWithoutResult((status) -> {
			if (!this.stuck.tryLock()) {
				log.debug("Another replica is sweeping for stuck jobs");
				return;
			}
			for (UUID id : this.stuck.counted(BATCH)) {
				attempt(id, Repairs.Kind.ENDED, () -> this.repairs.end(id), done);
			}
			if (startsIdle) {
				for (StuckJobs.Quiet job : this.stuck.lostStarts(this.properties.queuedAfter(), BATCH)) {
					Repairs.Kind kind = this.repairs.forLostStart(job);
					attempt(job.id(), kind, () -> this.repairs.lostStart(job, kind), done);
				}
			}
			if (workIdle) {
				for (StuckJobs.Quiet job : this.stuck.stalled(this.properties.stalledAfter(), BATCH)) {
					Repairs.Kind kind = this.repairs.forStalled(job);
					attempt(job.id(), kind, () -> this.repairs.stalled(job, kind), done);
				}
			}
		});
		done.forEach((kind) -> counter(kind).increment());
		return done;
	}

	private void attempt(UUID id, Repairs.Kind kind, BooleanSupplier repair, List<Repairs.Kind> done) {
		try {
			if (Boolean.TRUE.equals(this.savepoint.execute((status) -> repair.getAsBoolean()))) {
				log.warn("The stuck-job reaper repaired job {}: {}", id, kind.value());
				done.add(kind);
			}
		}
		catch (RuntimeException ex) {
			log.error("The stuck-job reaper could not repair job {} ({})", id, kind.value(), ex);
		}
	}

	private Counter counter(Repairs.Kind kind) {
		return this.meters.counter("gistgrep.reaper.repairs", "kind", kind.value());
	}

}
