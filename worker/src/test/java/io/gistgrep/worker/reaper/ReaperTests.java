package io.gistgrep.worker.reaper;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.common.task.Queues;
import io.gistgrep.sim.SimUser;
import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reaper on its schedule, in a worker: a job whose task is deleted from the broker
 * (the queue purged while its consumers are stopped) still ends, exact, and a job whose
 * last count was lost is ended.
 */
class ReaperTests {

	private static ReaperWorker worker;

	@BeforeAll
	static void start() {
		// One listing page per task and a job's window from its start, so that a lost
		// task leaves a pass half listed and a window half sent: what the reaper repairs.
		worker = new ReaperWorker("reaper", "--gistgrep.reaper.interval=500ms", "--gistgrep.reaper.queued-after=3s",
				"--gistgrep.reaper.stalled-after=5s", "--gistgrep.listing.pages-per-task=1",
				"--gistgrep.worker.scan.window-per-job=100", "--gistgrep.worker.scan.start-window-per-job=100");
	}

	@AfterAll
	static void stop() {
		if (worker != null) {
			worker.close();
		}
	}

	@Test
	void aJobWhoseStartMessageIsDeletedFromTheBrokerIsRepairedByTheReaper() {
		SimUser user = worker.sim.addUser(SyntheticUsers.generate("reaper-start-" + suffix(), 150, 21));
		double before = worker.repairs("restarted");
		UUID id = whileStopped(Queues.START_JOB, () -> {
			UUID submitted = worker.submit(user.login());
			await().atMost(Duration.ofSeconds(20)).until(() -> worker.ready(Queues.START_JOB) == 1);
			worker.broker.purgeQueue(Queues.START_JOB, false);
			return submitted;
		});

		assertEndsExact(id, user, 150);
		assertThat(worker.repairs("restarted") - before).isEqualTo(1);
		assertThat(worker.outboxRows(Queues.START_JOB, id)).as("the api's start, then the reaper's").isEqualTo(2);
	}

	@Test
	void aJobWhoseScansAreDeletedFromTheBrokerIsRefannedByTheReaper() {
		SimUser user = worker.sim.addUser(SyntheticUsers.generate("reaper-scan-" + suffix(), 150, 22));
		double before = worker.repairs("refanned");
		UUID id = whileStopped(Queues.SCAN_GIST, () -> {
			UUID submitted = worker.submit(user.login());
			await().atMost(Duration.ofSeconds(30))
				// The job's window (100, as set above) of scans is queued, the other 50
				// wait.
				.until(() -> total(submitted) == 150 && worker.ready(Queues.SCAN_GIST) == 100);
			worker.broker.purgeQueue(Queues.SCAN_GIST, false);
			return submitted;
		});

		assertEndsExact(id, user, 150);
		assertThat(worker.repairs("refanned") - before).isEqualTo(1);
	}

	@Test
	void aJobWhoseNextListingPageIsDeletedFromTheBrokerIsListedAgainByTheReaper() {
		SimUser user = worker.sim.addUser(SyntheticUsers.generate("reaper-list-" + suffix(), 250, 23));
		double before = worker.repairs("relisted");
		UUID id = whileStopped(Queues.LIST_PAGE, () -> {
			UUID submitted = worker.submit(user.login());
			// Page 1 is listed and its 100 gists counted; page 2 waits in its queue.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> counted(submitted) == 100 && worker.ready(Queues.LIST_PAGE) == 1);
			worker.broker.purgeQueue(Queues.LIST_PAGE, false);
			return submitted;
		});

		assertEndsExact(id, user, 250);
		assertThat(worker.repairs("relisted") - before).isEqualTo(1);
	}

	@Test
	void aJobWhoseLastCountWasLostIsEndedByTheReaper() {
		double before = worker.repairs("ended");
		// Every gist is counted, but the count that should have ended the job was lost.
		UUID id = worker.job("running", """
				started_at = now() - interval '1 hour', gists_total = 3, gists_scanned = 2, gists_skipped = 1,
				gists_matched = 1, webhook_url = 'http://127.0.0.1:9/hook'""");
		worker.gist(id, "a", "scanned");
		worker.gist(id, "b", "scanned");
		worker.gist(id, "c", "skipped");

		await().atMost(Duration.ofSeconds(20)).until(() -> worker.status(id).equals("succeeded"));
		Map<String, Object> job = worker.jdbc.sql(
				"SELECT gists_total, gists_scanned, gists_skipped, gists_matched, finished_at FROM jobs WHERE id = :id")
			.param("id", id)
			.query()
			.singleRow();
		assertThat(job).containsEntry("gists_total", 3)
			.containsEntry("gists_scanned", 2)
			.containsEntry("gists_skipped", 1)
			.containsEntry("gists_matched", 1);
		assertThat(job.get("finished_at")).isNotNull();
		assertThat(worker.jdbc.sql("SELECT event_type FROM webhook_deliveries WHERE job_id = :id")
			.param("id", id)
			.query(String.class)
			.list()).as("the end went through JobTransitions, which queues the webhook")
			.containsExactly("job.succeeded");
		assertThat(worker.repairs("ended") - before).isEqualTo(1);
	}

	private static void assertEndsExact(UUID id, SimUser user, int gists) {
		await().atMost(Duration.ofSeconds(90)).until(() -> !worker.status(id).matches("queued|running"));
		assertThat(worker.status(id)).isEqualTo("succeeded");
		assertThat(total(id)).isEqualTo(gists);
		assertThat(counted(id)).isEqualTo(gists);
		assertThat(worker.matched(id)).doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(ReaperWorker.expectedMatches(user));
		assertThat(worker.jdbc.sql("SELECT gists_matched FROM jobs WHERE id = :id")
			.param("id", id)
			.query(Integer.class)
			.single()).as("counted once").isEqualTo(ReaperWorker.expectedMatches(user).size());
	}

	private static <T> T whileStopped(String queue, java.util.function.Supplier<T> action) {
		AbstractMessageListenerContainer consumers = worker.consumers(queue);
		consumers.stop();
		try {
			return action.get();
		}
		finally {
			consumers.start();
		}
	}

	private static int total(UUID id) {
		return worker.jdbc.sql("SELECT COALESCE(gists_total, -1) FROM jobs WHERE id = :id")
			.param("id", id)
			.query(Integer.class)
			.single();
	}

	private static int counted(UUID id) {
		return worker.jdbc.sql("SELECT gists_scanned + gists_skipped + gists_failed FROM jobs WHERE id = :id")
			.param("id", id)
			.query(Integer.class)
			.single();
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
