package io.gistgrep.worker.reaper;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;

import io.gistgrep.common.task.Queues;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the reaper leaves alone, what it fails, and that two reapers at once repair a job
 * once. The scheduled sweeps are off (an interval of an hour): each test sweeps itself,
 * so that it knows exactly which sweeps ran. Jobs are written in SQL, an hour old, with
 * users github-sim does not know (a restarted job fails, quickly and harmlessly).
 */
class ReaperSafetyTests {

	private static ReaperWorker worker;

	private static Reaper reaper;

	@BeforeAll
	static void start() {
		worker = new ReaperWorker("reapersafe", "--gistgrep.reaper.interval=1h", "--gistgrep.reaper.queued-after=30s",
				"--gistgrep.reaper.stalled-after=30s");
		reaper = worker.context.getBean(Reaper.class);
	}

	@AfterAll
	static void stop() {
		if (worker != null) {
			worker.close();
		}
	}

	@Test
	void jobsHeldByTheCapAndJobsParkedOnGitHubAreLeftAlone() {
		// Of a tenant of its own: the end of the released job below would release it.
		UUID held = worker.job("queued", "tenant = 'held', held_since = now() - interval '1 hour'");
		UUID parked = worker.job("running", """
				started_at = now() - interval '1 hour', progress_at = now() - interval '1 hour',
				waiting_for_github_until = now() + interval '1 hour'""");
		UUID parkedWithScans = worker.job("running", """
				started_at = now() - interval '1 hour', gists_total = 1,
				waiting_for_github_until = now() + interval '1 hour'""");
		worker.gist(parkedWithScans, "p", "pending");
		// Released by the cap an hour ago, and its start never arrived: repairable.
		UUID released = worker.job("queued", "released_at = now() - interval '1 hour'");

		List<Repairs.Kind> repaired = reaper.sweep();

		assertThat(repaired).containsExactly(Repairs.Kind.RESTARTED);
		assertThat(worker.outboxRows(Queues.START_JOB, released)).isOne();
		assertThat(worker.outboxRows(Queues.START_JOB, held)).isZero();
		assertThat(worker.outboxRows(Queues.LIST_PAGE, parked)).isZero();
		assertThat(worker.outboxRows(Queues.SCAN_GIST, parkedWithScans)).isZero();
		assertThat(worker.status(held)).isEqualTo("queued");
		assertThat(worker.status(parked)).isEqualTo("running");
		assertThat(worker.status(parkedWithScans)).isEqualTo("running");
	}

	@Test
	void aJobThatCannotBeRepairedOrDoesNotMoveAfterItsRepairsIsFailedAsStalled() {
		// Listed, nothing pending, and yet one gist short of its total.
		UUID inconsistent = worker.job("running", """
				started_at = now() - interval '1 hour', gists_total = 2, gists_scanned = 1""");
		worker.gist(inconsistent, "a", "scanned");
		worker.gist(inconsistent, "b", "scanned");
		UUID repairedTooOften = worker.job("running", "started_at = now() - interval '1 hour', repairs = 3");

		List<Repairs.Kind> repaired = reaper.sweep();

		assertThat(repaired).containsExactly(Repairs.Kind.FAILED, Repairs.Kind.FAILED);
		for (UUID id : List.of(inconsistent, repairedTooOften)) {
			assertThat(worker.status(id)).isEqualTo("failed");
			assertThat(worker.jdbc.sql("SELECT error ->> 'type' FROM jobs WHERE id = :id")
				.param("id", id)
				.query(String.class)
				.single()).isEqualTo("https://gistgrep.dev/problems/stalled");
		}
		assertThat(worker.outboxRows(Queues.LIST_PAGE, repairedTooOften)).isZero();
	}

	@Test
	void twoReapersAtOnceRepairEachJobOnce() throws Exception {
		List<UUID> lost = IntStream.range(0, 20).mapToObj((i) -> worker.job("queued", null)).toList();
		Reaper other = new Reaper(worker.context.getBean(StuckJobs.class), worker.context.getBean(Backlog.class),
				worker.context.getBean(Repairs.class), worker.context.getBean(ReaperProperties.class),
				worker.context.getBean(PlatformTransactionManager.class), worker.context.getBean(MeterRegistry.class));
		CyclicBarrier together = new CyclicBarrier(2);
		List<CompletableFuture<List<Repairs.Kind>>> sweeps = new ArrayList<>();
		for (Reaper each : List.of(reaper, other)) {
			sweeps.add(CompletableFuture.supplyAsync(() -> {
				await(together);
				return each.sweep();
			}));
		}
		List<Repairs.Kind> repaired = new ArrayList<>();
		for (CompletableFuture<List<Repairs.Kind>> sweep : sweeps) {
			repaired.addAll(sweep.get());
		}

		assertThat(repaired).hasSize(20).containsOnly(Repairs.Kind.RESTARTED);
		assertThat(lost).allSatisfy((id) -> assertThat(worker.outboxRows(Queues.START_JOB, id)).isOne());
		assertThat(reaper.sweep()).as("a repaired job is left alone until its threshold passes again").isEmpty();
		assertThat(other.sweep()).isEmpty();
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
