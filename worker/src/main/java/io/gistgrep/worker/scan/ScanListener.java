package io.gistgrep.worker.scan;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import com.rabbitmq.client.Channel;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.ScanGist;
import io.gistgrep.db.gist.GistFinish;
import io.gistgrep.db.gist.GistKey;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.gist.JobGist;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.messaging.LogContext;
import io.gistgrep.scanner.SearchPattern;
import io.gistgrep.worker.messaging.ScanConsumers;
import io.gistgrep.worker.messaging.Tasks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * Scans gists (see {@link GistScanner} for where their files come from), and records each
 * gist's result and counts it, exactly once: the outcome is written only while the gist
 * is still pending, in the same transaction as the count.
 * <p>
 * Scan tasks come in batches ({@link ScanConsumers}). The batch's gists and jobs are read
 * with one query each, the gists are scanned concurrently on virtual threads, and one
 * transaction records every outcome, with batched inserts, and updates each job's
 * counters once. Each message is acknowledged after that commit. A task that must be
 * retried, parked or given up is settled on its own by {@link Tasks}, exactly as a single
 * task is. When the batch's transaction fails, each of its gists is recorded in a
 * transaction of its own, so that one gist that cannot be recorded is retried (and in the
 * end given up) alone, and the others are not redelivered for it.
 */
@Component
class ScanListener {

	private static final Logger log = LoggerFactory.getLogger(ScanListener.class);

	private final JobRepository jobs;

	private final GistRepository gists;

	private final GistScanner scanner;

	private final ScanRecords records;

	private final Tasks tasks;

	private final ObservationRegistry observations;

	private final Counter fallbacks;

	private final ScanTargets targets;

	ScanListener(JobRepository jobs, GistRepository gists, GistScanner scanner, ScanRecords records, Tasks tasks,
			MeterRegistry meters, ObjectProvider<ObservationRegistry> observations) {
		this.jobs = jobs;
		this.gists = gists;
		this.scanner = scanner;
		this.records = records;
		this.tasks = tasks;
		this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
		this.targets = new ScanTargets(meters);
		this.fallbacks = meters.counter("gistgrep.scan.batch-fallbacks");
	}

	@RabbitListener(id = Queues.SCAN_GIST, queues = Queues.SCAN_GIST, containerFactory = ScanConsumers.FACTORY)
	void scan(List<Message> messages, Channel channel) throws IOException {
		List<Item> items = new ArrayList<>(messages.size());
		try {
			for (Message message : messages) {
				try {
					items.add(new Item(message));
				}
				catch (RuntimeException ex) {
					log.error("A scan message could not be taken in and goes back to its queue", ex);
					channel.basicNack(message.getMessageProperties().getDeliveryTag(), false, true);
				}
			}
			run(items);
		}
		finally {
			settle(items, channel);
		}
	}

	private void run(List<Item> items) {
		List<Item> tasks = new ArrayList<>(items.size());
		for (Item item : items) {
			if (item.task != null) {
				tasks.add(item);
			}
		}
		if (tasks.isEmpty()) {
			return;
		}
		Map<UUID, Optional<Job>> jobs = new HashMap<>();
		Map<GistKey, JobGist> gists;
		try {
			List<GistKey> keys = new ArrayList<>(tasks.size());
			for (Item item : tasks) {
				keys.add(item.key());
				jobs.computeIfAbsent(item.task().jobId(), this.jobs::findWithoutSecret);
			}
			gists = this.gists.findAll(keys);
		}
		catch (RuntimeException ex) {
			// The database is away, most likely: each task goes its own way (retried
			// through the delay queues), as it would have alone.
			log.warn("Reading a batch of {} scans failed, settling each on its own: {}", tasks.size(),
					NestedExceptionUtils.getMostSpecificCause(ex).toString());
			this.fallbacks.increment();
			VirtualThreads.each(tasks, (item) -> LogContext.inGist(item.task().jobId(), item.task().gistId(),
					() -> item.observation.scoped(() -> item.settle(() -> scanAlone(item.task())))));
			return;
		}
		CacheBatch caches = lookUp(tasks, jobs, gists);
		try {
			VirtualThreads.each(tasks, (item) -> LogContext.inGist(item.task().jobId(), item.task().gistId(),
					() -> scan(item, jobs.get(item.task().jobId()), gists.get(item.key()), caches)));
		}
		finally {
			this.scanner.keep(caches);
		}
		List<Item> done = new ArrayList<>();
		for (Item item : tasks) {
			if (item.scan != null && item.settlement == null) {
				done.add(item);
			}
		}
		if (done.isEmpty()) {
			return;
		}
		try {
			Map<UUID, Observation> traces = new HashMap<>();
			done.forEach((item) -> traces.putIfAbsent(item.task().jobId(), item.observation));
			this.records.recordAll(done.stream().map(Item::finish).toList(), traces);
			for (Item item : done) {
				this.tasks.succeeded(item.message);
				item.settlement = Settlement.ACK;
			}
		}
		catch (RuntimeException ex) {
			log.warn("Recording a batch of {} scans failed, recording each on its own: {}", done.size(),
					NestedExceptionUtils.getMostSpecificCause(ex).toString());
			this.fallbacks.increment();
			// One at a time: a fallback must not take every pooled connection at once.
			for (Item item : done) {
				item.observation.scoped(() -> item.settle(() -> this.records.record(item.finish())));
			}
		}
	}

	/**
	 * Reads what the caches hold for the files of the batch's gists that are due to be
	 * scanned (their task due, their job running, the gist pending), in a round trip or
	 * two for the whole batch ({@link CacheBatch}).
	 */
	private CacheBatch lookUp(List<Item> items, Map<UUID, Optional<Job>> jobs, Map<GistKey, JobGist> gists) {
		List<GistScanner.Planned> planned = new ArrayList<>(items.size());
		for (Item item : items) {
			if (this.tasks.dueNow(item.message)) {
				this.targets.planned(jobs.get(item.task().jobId()), gists.get(item.key())).ifPresent(planned::add);
			}
		}
		return this.scanner.lookUp(planned);
	}

	/** One task's scan within its batch, on its own virtual thread. */
	private void scan(Item item, Optional<Job> job, @Nullable JobGist jobGist, CacheBatch caches) {
		Observation.Scope scope = item.observation.openScope();
		try {
			if (!this.tasks.due(item.message)) {
				item.settlement = Settlement.ACK;
				return;
			}
			SearchPattern pattern = this.targets.patternFor(item.task(), job, jobGist);
			if (pattern == null || jobGist == null) {
				this.tasks.succeeded(item.message);
				item.settlement = Settlement.ACK;
				return;
			}
			try {
				GistScanner.GistScan scan = this.scanner.scan(jobGist.gist(), pattern, caches);
				// The revision read with the files: if a later listing pass changes the
				// gist's files meanwhile, this outcome is of the old ones and is not
				// recorded.
				item.scan = scan;
				item.revision = jobGist.revision();
			}
			catch (RuntimeException ex) {
				item.failed(ex);
			}
		}
		catch (ImmediateRequeueAmqpException ex) {
			item.settlement = Settlement.REQUEUE;
		}
		catch (RuntimeException ex) {
			// Anything else (a pattern that does not compile, a bug): the task is retried
			// and at last given up, as a single task's would be, never requeued blindly.
			log.warn("Scanning gist {} of job {} failed outside the scanner", item.task().gistId(), item.task().jobId(),
					ex);
			item.scan = null;
			if (item.settlement == null) {
				item.failed(ex);
			}
		}
		finally {
			scope.close();
		}
	}

	/**
	 * A task's scan on its own, as before batches: the fallback when a batch's read
	 * fails.
	 */
	private void scanAlone(ScanGist task) {
		Optional<JobGist> jobGist = this.gists.find(task.jobId(), task.gistId());
		SearchPattern pattern = this.targets.patternFor(task, this.jobs.findWithoutSecret(task.jobId()),
				jobGist.orElse(null));
		if (pattern == null) {
			return;
		}
		GistScanner.GistScan scan = this.scanner.scan(jobGist.get().gist(), pattern);
		this.records.record(new GistFinish(task.jobId(), task.gistId(), jobGist.get().revision(), scan.outcome(),
				scan.error(), scan.files()));
	}

	/** Acknowledges, requeues or rejects each message of the batch, as it was settled. */
	private void settle(List<Item> items, Channel channel) throws IOException {
		try {
			Settlement.apply(channel, items.stream().map(Item::tag).toList(),
					items.stream().map((item) -> item.settlement).toList());
		}
		finally {
			// Even when the channel is gone: an observation left open would never end.
			items.forEach(Item::stop);
		}
	}

	/** One message of a batch, and what became of it. */
	private final class Item {

		final Message message;

		final @Nullable ScanGist task;

		final Observation observation;

		volatile GistScanner.@Nullable GistScan scan;

		volatile int revision;

		volatile @Nullable Settlement settlement;

		Item(Message message) {
			this.message = message;
			this.observation = ScanDelivery.observe(message, Queues.SCAN_GIST, ScanListener.this.observations);
			this.task = read(message);
			if (this.task == null) {
				this.settlement = Settlement.REJECT;
			}
		}

		private @Nullable ScanGist read(Message message) {
			try {
				return ScanDelivery.read(message);
			}
			catch (JacksonException | IllegalArgumentException ex) {
				log.error("Dead-lettering a scan task that cannot be read: {}", ex.getMessage());
				this.observation.error(ex);
				return null;
			}
		}

		@Override
		public String toString() {
			ScanGist task = this.task;
			return (task != null) ? "the scan of gist " + task.gistId() + " of job " + task.jobId()
					: "an unreadable scan task";
		}

		ScanGist task() {
			ScanGist task = this.task;
			if (task == null) {
				throw new IllegalStateException("No task");
			}
			return task;
		}

		GistKey key() {
			return new GistKey(task().jobId(), task().gistId());
		}

		long tag() {
			return this.message.getMessageProperties().getDeliveryTag();
		}

		GistFinish finish() {
			GistScanner.GistScan scan = this.scan;
			if (scan == null) {
				throw new IllegalStateException("Not scanned");
			}
			return new GistFinish(task().jobId(), task().gistId(), this.revision, scan.outcome(), scan.error(),
					scan.files());
		}

		/** The scan threw: the task is retried, parked or given up, on its own. */
		void failed(RuntimeException ex) {
			this.observation.error(ex);
			ScanGist task = task();
			try {
				ScanListener.this.tasks.failed(this.message, ex, giveUp(task), parked(task));
				this.settlement = Settlement.ACK;
			}
			catch (ImmediateRequeueAmqpException requeue) {
				this.settlement = Settlement.REQUEUE;
			}
		}

		/** Runs {@code work} as a single task would: retried, parked or given up. */
		void settle(Runnable work) {
			ScanGist task = task();
			try {
				ScanListener.this.tasks.run(this.message, work, giveUp(task), parked(task));
				this.settlement = Settlement.ACK;
			}
			catch (ImmediateRequeueAmqpException requeue) {
				this.settlement = Settlement.REQUEUE;
			}
		}

		/**
		 * Given up: the task's revision, so that giving up on an old revision cannot
		 * count a gist that a later listing pass sent to be scanned again.
		 */
		private Consumer<RuntimeException> giveUp(ScanGist task) {
			return (ex) -> ScanListener.this.records.record(new GistFinish(task.jobId(), task.gistId(),
					task.revisionNumber(), GistOutcome.FAILED, ex.getMessage(), List.of()));
		}

		private Consumer<Instant> parked(ScanGist task) {
			return (until) -> ScanListener.this.jobs.waitingForGitHub(task.jobId(), until);
		}

		/** Ends the task's observation ({@link ScanDelivery#stop}). */
		void stop() {
			ScanDelivery.stop(this.observation, (this.settlement != null) ? this.settlement : Settlement.REQUEUE);
		}

	}

}
