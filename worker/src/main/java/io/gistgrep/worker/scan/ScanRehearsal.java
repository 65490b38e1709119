package io.gistgrep.worker.scan;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.gistgrep.common.job.Job;
import io.gistgrep.db.gist.GistFinish;
import io.gistgrep.db.gist.GistKey;
import io.gistgrep.db.gist.GistRef;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.gist.ListingRepository;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.messaging.JobTransitions;
import io.gistgrep.messaging.Outbox;
import io.gistgrep.scanner.SearchPattern;
import io.gistgrep.worker.github.ListedGist;
import io.gistgrep.worker.github.Rehearsal;
import io.gistgrep.worker.listing.ListedGists;
import io.gistgrep.worker.messaging.WorkerProperties;
import io.gistgrep.worker.redis.RedisGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job rehearsed for the start-up warm-up, on the paths a real one takes after its
 * listing message: its gists listed from a loopback stand-in of GitHub through the
 * worker's client ({@link Rehearsal}), each gist's files fetched, scanned and their
 * results cached as {@link GistScanner} does for a batch, and the outcomes stored as the
 * listing and {@link ScanRecords} store them (the job's row, its gists, their files and
 * matches, its counters and its end), in one transaction that is rolled back. Nothing of
 * it is committed, counted in the worker's metrics or sent.
 */
@Component
public class ScanRehearsal {

	/** Gists of a rehearsed job: enough for a few listing pages and batches. */
	public static final int GISTS = 150;

	/**
	 * What the stand-in's gists are made to match ({@link Rehearsal#matchingGists()}).
	 */
	private static final String PATTERN = "TODO|AKIA[0-9A-Z]{16}";

	private final StringRedisTemplate redis;

	private final RedisConnectionFactory connections;

	private final JsonMapper json;

	private final ScanProperties properties;

	private final JobRepository jobs;

	private final ListingRepository listing;

	private final GistRepository gists;

	private final JobTransitions transitions;

	private final Outbox outbox;

	private final WorkerProperties worker;

	private final TransactionTemplate transaction;

	ScanRehearsal(StringRedisTemplate redis, RedisConnectionFactory connections, JsonMapper json,
			ScanProperties properties, JobRepository jobs, ListingRepository listing, GistRepository gists,
			JobTransitions transitions, Outbox outbox, WorkerProperties worker, TransactionTemplate transaction) {
		this.redis = redis;
		this.connections = connections;
		this.json = json;
		this.properties = properties;
		this.jobs = jobs;
		this.listing = listing;
		this.gists = gists;
		this.transitions = transitions;
		this.outbox = outbox;
		this.worker = worker;
		this.transaction = transaction;
	}

	/**
	 * Opens the stand-in and the client for rounds of rehearsals; close it after the
	 * last.
	 * @throws IOException if no loopback port can be opened
	 */
	public Stage open() throws IOException {
		Rehearsal github = Rehearsal.open(GISTS, this.redis, this.connections, this.json);
		try {
			return new Stage(github);
		}
		catch (RuntimeException ex) {
			github.close();
			throw ex;
		}
	}

	/** A stand-in and a scanner wired to it, for rounds of rehearsed jobs. */
	public final class Stage implements AutoCloseable {

		private final Rehearsal github;

		private final GistScanner scanner;

		private final ScanRecords records;

		private final SearchPattern pattern = SearchPattern.compile(PATTERN);

		private Stage(Rehearsal github) {
			this.github = github;
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			// Results kept a minute, as the stand-in's contents are.
			ScanProperties shortLived = new ScanProperties(ScanRehearsal.this.properties.maxMatchesPerFile(),
					ScanRehearsal.this.properties.maxLineText(), ScanRehearsal.this.properties.binarySniff(),
					Duration.ofMinutes(1), ScanRehearsal.this.properties.fileTimeBudget());
			this.scanner = new GistScanner(
					github.client(), github.rawFiles(), github.clones(), new ScanCache(ScanRehearsal.this.redis,
							ScanRehearsal.this.json, meters, shortLived, new RedisGuard(meters)),
					new ScanMeters(meters), shortLived, github.properties());
			this.records = new ScanRecords(ScanRehearsal.this.gists, ScanRehearsal.this.transitions,
					ScanRehearsal.this.transaction, ScanRehearsal.this.outbox, ScanRehearsal.this.worker, meters);
		}

		/**
		 * One rehearsed job: listed, scanned and stored, then rolled back.
		 * @return how many of its gists matched, checked against what the stand-in holds
		 * @throws IllegalStateException when the rehearsal did not find what it should
		 * have
		 */
		public int round() {
			List<GistRef> refs = ListedGists.toRefs(this.github.listAll());
			UUID jobId = UUID.randomUUID();
			List<GistFinish> finishes = scanAll(jobId, refs);
			int matched = (int) finishes.stream().filter(GistFinish::matched).count();
			if (refs.size() != GISTS || matched != this.github.matchingGists()) {
				throw new IllegalStateException("The rehearsal listed " + refs.size() + " gists of " + GISTS
						+ " and found " + matched + " matching of " + this.github.matchingGists());
			}
			store(jobId, refs, finishes);
			return matched;
		}

		/**
		 * Scans every gist at once, one virtual thread each, with the caches looked up
		 * before and kept after, as a batch does; a failure is thrown once all are done
		 * (the warm-up logs it once, and goes on).
		 */
		private List<GistFinish> scanAll(UUID jobId, List<GistRef> refs) {
			List<GistFinish> finishes = new ArrayList<>(refs.size());
			CacheBatch caches = this.scanner
				.lookUp(refs.stream().map((gist) -> new GistScanner.Planned(gist, this.pattern)).toList());
			try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
				List<Future<GistFinish>> scans = new ArrayList<>(refs.size());
				for (GistRef gist : refs) {
					scans.add(executor.submit(() -> {
						GistScanner.GistScan scan = this.scanner.scan(gist, this.pattern, caches);
						return new GistFinish(jobId, gist.id(), 0, scan.outcome(), scan.error(), scan.files());
					}));
				}
				for (Future<GistFinish> scan : scans) {
					finishes.add(scan.get());
				}
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("A rehearsed gist's scan failed: " + ex.getCause(), ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while rehearsing", ex);
			}
			finally {
				this.scanner.keep(caches);
			}
			return finishes;
		}

		/** Stores the job as its listing and scans would, and rolls it all back. */
		private void store(UUID jobId, List<GistRef> refs, List<GistFinish> finishes) {
			ScanRehearsal.this.transaction.executeWithoutResult((status) -> {
				status.setRollbackOnly();
				ScanRehearsal.this.jobs.insert(
						Job.queued(jobId, "gistgrep-rehearsal", "gistgrep-rehearsal", PATTERN, null, Instant.now()));
				ScanRehearsal.this.transitions.start(jobId);
				ScanRehearsal.this.listing.storePage(jobId, 1, 1, refs);
				ScanRehearsal.this.listing.recordPage(jobId, 1, 1, "rehearsal", true);
				ScanRehearsal.this.gists.release(jobId, refs.size());
				ScanRehearsal.this.transitions.completeListing(jobId);
				// As a batch of scan tasks reads its job and gists before recording them.
				ScanRehearsal.this.jobs.findWithoutSecret(jobId);
				ScanRehearsal.this.gists
					.findAll(finishes.stream().map((finish) -> new GistKey(jobId, finish.gistId())).toList());
				this.records.recordAll(finishes, Map.of());
				if (!ScanRehearsal.this.jobs.status(jobId).map((s) -> s.isFinished()).orElse(false)) {
					throw new IllegalStateException("The rehearsed job did not end");
				}
			});
		}

		/** The stand-in of GitHub, for what it names (its host, its files' blob SHAs). */
		public Rehearsal github() {
			return this.github;
		}

		/** Stops the stand-in. */
		@Override
		public void close() {
			this.github.close();
		}

	}

}
