package io.gistgrep.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobError;
import io.gistgrep.common.job.JobStatus;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.job.RunningJobsCap;
import io.gistgrep.db.job.RunningJobsCap.Outcome;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
class RunningJobsCapTests {

	private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Autowired
	JobTransitions transitions;

	@Autowired
	JobRepository jobs;

	@Autowired
	RunningJobsCap cap;

	@Autowired
	JdbcClient jdbc;

	private final String tenant = "tenant-" + UUID.randomUUID();

	private int submitted;

	@Test
	void jobsUnderTheCapStartAndTheNextOneStaysQueuedMarkedAsHeld() {
		UUID a = submit();
		UUID b = submit();
		UUID c = submit();

		assertThat(this.transitions.admit(a, 2).outcome()).isEqualTo(Outcome.STARTED);
		assertThat(this.transitions.admit(b, 2).outcome()).isEqualTo(Outcome.STARTED);
		assertThat(this.transitions.admit(c, 2)).isEqualTo(new RunningJobsCap.Admission(Outcome.HELD, List.of()));

		assertThat(this.jobs.status(a)).contains(JobStatus.RUNNING);
		assertThat(this.jobs.status(c)).contains(JobStatus.QUEUED);
		assertThat(this.cap.heldSince(c)).isPresent();
		assertThat(this.cap.heldSince(a)).isEmpty();
	}

	@Test
	void theEndOfARunningJobReleasesTheOldestHeldJobAndSendsItsStartTask() {
		UUID running = submit();
		UUID older = submit();
		UUID newer = submit();
		this.transitions.admit(running, 1);
		this.transitions.admit(newer, 1);
		this.transitions.admit(older, 1);

		this.transitions.cancel(new JobKey(this.tenant, running));

		assertThat(this.cap.heldSince(older)).as("released").isEmpty();
		assertThat(this.cap.heldSince(newer)).as("still held").isPresent();
		assertThat(startMessages(older)).isOne();
		assertThat(startMessages(newer)).isZero();
		assertThat(this.transitions.admit(newer, 1).outcome()).as("the released job's slot is reserved")
			.isEqualTo(Outcome.HELD);
		assertThat(this.transitions.admit(older, 1).outcome()).isEqualTo(Outcome.STARTED);
	}

	@Test
	void aNewJobDoesNotOvertakeAJobTheCapHolds() {
		UUID running = submit();
		UUID held = submit();
		this.transitions.admit(running, 2);
		this.transitions.admit(submit(), 2);
		this.transitions.admit(held, 2);
		this.transitions.fail(running, JobError.of("github-error", "GitHub failed", "It did."));

		UUID late = submit();

		assertThat(this.transitions.admit(late, 2).outcome()).isEqualTo(Outcome.HELD);
		assertThat(this.transitions.admit(held, 2).outcome()).isEqualTo(Outcome.STARTED);
	}

	@Test
	void aCancelledHeldJobIsNeverStartedAndItsCancelReleasesNothing() {
		UUID running = submit();
		UUID cancelled = submit();
		UUID next = submit();
		this.transitions.admit(running, 1);
		this.transitions.admit(cancelled, 1);
		this.transitions.admit(next, 1);

		this.transitions.cancel(new JobKey(this.tenant, cancelled));
		assertThat(this.cap.heldSince(next)).as("a held job's end frees no slot").isPresent();
		this.transitions.cancel(new JobKey(this.tenant, running));

		assertThat(this.cap.heldSince(next)).isEmpty();
		assertThat(startMessages(next)).isOne();
		assertThat(startMessages(cancelled)).isZero();
		assertThat(this.transitions.admit(cancelled, 1).outcome()).isEqualTo(Outcome.ENDED);
		assertThat(this.jobs.status(cancelled)).contains(JobStatus.CANCELLED);
	}

	@Test
	void aReleasedJobThatFindsTheCapFullGoesBackToHeld() {
		UUID first = submit();
		UUID second = submit();
		UUID released = submit();
		this.transitions.admit(first, 2);
		this.transitions.admit(second, 2);
		this.transitions.admit(released, 2);
		this.transitions.cancel(new JobKey(this.tenant, first));
		assertThat(this.cap.heldSince(released)).isEmpty();

		assertThat(this.transitions.admit(released, 1).outcome()).as("the cap was lowered meanwhile")
			.isEqualTo(Outcome.HELD);

		assertThat(this.cap.heldSince(released)).isPresent();
		assertThat(this.jobs.status(released)).contains(JobStatus.QUEUED);
		this.transitions.cancel(new JobKey(this.tenant, second));
		assertThat(this.transitions.admit(released, 1).outcome()).isEqualTo(Outcome.STARTED);
	}

	@Test
	void redeliveredStartTasksAndRepeatedEndsChangeNothing() {
		UUID running = submit();
		UUID held = submit();
		UUID other = submit();
		this.transitions.admit(running, 1);
		this.transitions.admit(held, 1);
		this.transitions.admit(other, 1);
		Instant heldSince = this.cap.heldSince(held).orElseThrow();

		assertThat(this.transitions.admit(running, 1).outcome()).isEqualTo(Outcome.RUNNING);
		assertThat(this.transitions.admit(held, 1).outcome()).isEqualTo(Outcome.HELD);
		assertThat(this.cap.heldSince(held)).contains(heldSince);
		assertThat(this.transitions.cancel(new JobKey(this.tenant, running))).isTrue();
		assertThat(this.transitions.cancel(new JobKey(this.tenant, running))).isFalse();

		assertThat(startMessages(held)).isOne();
		assertThat(startMessages(other)).isZero();
		assertThat(this.cap.heldSince(other)).isPresent();
	}

	@Test
	void anotherTenantsJobIsNotHeldByThisTenantsCap() {
		this.transitions.admit(submit(), 1);
		UUID held = submit();
		UUID elsewhere = submit("other-" + UUID.randomUUID());

		assertThat(this.transitions.admit(held, 1).outcome()).isEqualTo(Outcome.HELD);
		assertThat(this.transitions.admit(elsewhere, 1).outcome()).isEqualTo(Outcome.STARTED);
	}

	@Test
	void noCapStartsEveryJobAndReleasesTheHeldOnes() {
		this.transitions.admit(submit(), 1);
		UUID held = submit();
		this.transitions.admit(held, 1);

		RunningJobsCap.Admission admission = this.transitions.admit(submit(), 0);

		assertThat(admission).isEqualTo(new RunningJobsCap.Admission(Outcome.STARTED, List.of(held)));
		assertThat(startMessages(held)).isOne();
	}

	@Test
	void workersStartingJobsOfOneTenantAtOnceNeverPassTheCap() throws Exception {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			ids.add(submit());
		}
		List<Future<Outcome>> outcomes = new ArrayList<>();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (UUID id : ids) {
				Callable<Outcome> admit = () -> this.transitions.admit(id, 3).outcome();
				outcomes.add(pool.submit(admit));
			}
		}
		List<Outcome> results = new ArrayList<>();
		for (Future<Outcome> outcome : outcomes) {
			results.add(outcome.get());
		}

		assertThat(results).filteredOn(Outcome.STARTED::equals).hasSize(3);
		assertThat(results).filteredOn(Outcome.HELD::equals).hasSize(9);
		assertThat(this.jdbc.sql("SELECT count(*) FROM jobs WHERE tenant = :t AND status = 'running'")
			.param("t", this.tenant)
			.query(Long.class)
			.single()).isEqualTo(3);
	}

	private long startMessages(UUID jobId) {
		return this.jdbc
			.sql("SELECT count(*) FROM outbox WHERE routing_key = 'gistgrep.jobs.start' AND payload LIKE :id")
			.param("id", "%" + jobId + "%")
			.query(Long.class)
			.single();
	}

	private UUID submit() {
		return submit(this.tenant);
	}

	private UUID submit(String tenant) {
		Job job = Job.queued(UUID.randomUUID(), tenant, "octocat", "x", null, T0.plusMillis(this.submitted++));
		this.jobs.insert(job);
		return job.id();
	}

}
