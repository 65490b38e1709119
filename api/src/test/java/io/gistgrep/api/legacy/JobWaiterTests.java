package io.gistgrep.api.legacy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.gistgrep.db.job.JobKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class JobWaiterTests {

	/** A tick so long that only the test's own {@code tick()} calls run. */
	private static final Duration MANUAL = Duration.ofHours(1);

	private static final Duration LONG = Duration.ofMinutes(5);

	private final Jobs jobs = new Jobs();

	private final List<JobWaiter> waiters = new ArrayList<>();

	@AfterEach
	void close() {
		this.waiters.forEach(JobWaiter::close);
	}

	@Test
	void manyWaitingRequestsCostOneQueryPerTick() {
		JobWaiter waiter = waiter(MANUAL);
		List<JobKey> ids = IntStream.range(0, 50).mapToObj((i) -> key()).toList();
		List<CompletableFuture<Boolean>> ends = new CopyOnWriteArrayList<>();
		// Registered concurrently, as request threads would.
		ids.parallelStream().forEach((id) -> ends.add(waiter.awaitEnd(id, LONG)));

		waiter.tick();
		waiter.tick();
		waiter.tick();

		assertThat(this.jobs.queries).hasValue(3);
		assertThat(this.jobs.asked).hasSize(3)
			.allSatisfy((asked) -> assertThat(asked).containsExactlyInAnyOrderElementsOf(ids));
		assertThat(ends).hasSize(50).noneMatch(CompletableFuture::isDone);
	}

	@Test
	void aWaitCompletesWhenItsJobEndsAndTheOthersKeepWaiting() {
		JobWaiter waiter = waiter(MANUAL);
		JobKey ending = key();
		JobKey running = key();
		CompletableFuture<Boolean> endingEnd = waiter.awaitEnd(ending, LONG);
		CompletableFuture<Boolean> runningEnd = waiter.awaitEnd(running, LONG);

		this.jobs.end(ending);
		waiter.tick();

		await().atMost(Duration.ofSeconds(10)).until(endingEnd::isDone);
		assertThat(endingEnd).isCompletedWithValue(true);
		assertThat(runningEnd).isNotDone();
		assertThat(waiter.awaited()).isEqualTo(1);
		waiter.tick();
		assertThat(this.jobs.asked.getLast()).containsExactly(running);
	}

	@Test
	void aJobThatDoesNotEndInTimeCompletesAsNotEndedAndIsNoLongerAskedFor() {
		JobWaiter waiter = waiter(MANUAL);
		CompletableFuture<Boolean> end = waiter.awaitEnd(key(), Duration.ofMillis(200));

		await().atMost(Duration.ofSeconds(10)).until(end::isDone);

		assertThat(end).isCompletedWithValue(false);
		assertThat(waiter.awaited()).isZero();
		waiter.tick();
		assertThat(this.jobs.queries).hasValue(0);
	}

	@Test
	void theTickerAsksOnItsOwnAndNeverWhileNobodyWaits() {
		JobWaiter waiter = waiter(Duration.ofMillis(20));
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> this.jobs.queries.get() == 0);

		JobKey id = key();
		CompletableFuture<Boolean> end = waiter.awaitEnd(id, LONG);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.jobs.queries.get() > 0);
		this.jobs.end(id);

		await().atMost(Duration.ofSeconds(10)).until(end::isDone);
		assertThat(end).isCompletedWithValue(true);
	}

	@Test
	void aFailedQueryIsTriedAgainOnTheNextTick() {
		JobWaiter waiter = waiter(MANUAL);
		JobKey id = key();
		CompletableFuture<Boolean> end = waiter.awaitEnd(id, LONG);
		this.jobs.end(id);
		this.jobs.failNext.set(true);

		waiter.tick();
		assertThat(end).isNotDone();
		waiter.tick();

		await().atMost(Duration.ofSeconds(10)).until(end::isDone);
		assertThat(end).isCompletedWithValue(true);
	}

	@Test
	void closingAnswersEveryWaitAsNotEnded() {
		JobWaiter waiter = waiter(MANUAL);
		CompletableFuture<Boolean> end = waiter.awaitEnd(key(), LONG);

		waiter.close();

		assertThat(end).isCompletedWithValue(false);
	}

	@Test
	void aJobCannotBeAwaitedTwiceAtOnce() {
		JobWaiter waiter = waiter(MANUAL);
		JobKey id = key();
		waiter.awaitEnd(id, LONG);

		assertThatIllegalStateException().isThrownBy(() -> waiter.awaitEnd(id, LONG))
			.withMessage("Job " + id + " is already awaited");
	}

	private static JobKey key() {
		return new JobKey("tenant", UUID.randomUUID());
	}

	private JobWaiter waiter(Duration tick) {
		JobWaiter waiter = new JobWaiter(this.jobs, tick);
		this.waiters.add(waiter);
		return waiter;
	}

	/** The database's answer, counted: which jobs have ended. */
	static final class Jobs implements JobWaiter.EndedJobs {

		final AtomicInteger queries = new AtomicInteger();

		final List<Set<JobKey>> asked = new CopyOnWriteArrayList<>();

		final AtomicBoolean failNext = new AtomicBoolean();

		private final Set<JobKey> ended = ConcurrentHashMap.newKeySet();

		void end(JobKey id) {
			this.ended.add(id);
		}

		@Override
		public Set<JobKey> among(Collection<JobKey> ids) {
			this.queries.incrementAndGet();
			this.asked.add(Set.copyOf(ids));
			if (this.failNext.getAndSet(false)) {
				throw new IllegalStateException("The database is away");
			}
			return ids.stream().filter(this.ended::contains).collect(Collectors.toSet());
		}

	}

}
