package io.gistgrep.worker.github;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The shared budget's takes and give-backs of leases, gathered: the calls made while one
 * is in Redis go together in the next, one {@link HostScripts#LEASES} script call per
 * host (and lease length), the give-backs first. Each raw request used to cost two script
 * calls of its own, a lease and its release: about 60 µs of Redis' single thread each,
 * plus a round trip and its system calls in the worker (a tenth of a busy worker's CPU,
 * async-profiler, 2026-12-02). Gathered, the requests in flight together share them. A
 * call made alone is sent alone, at once: nothing waits for company.
 * <p>
 * Group commit, written by hand because no library gathers Redis script calls: a caller
 * queues its call, then takes the lock; whoever holds it sends everything queued (its own
 * call among it), so the calls it sent are answered before their callers get the lock. A
 * failure answers every call of the failed script call with it, for each caller's
 * {@link io.gistgrep.worker.redis.RedisGuard} to handle.
 */
final class BudgetCalls {

	/**
	 * At most this many calls go in one script call, so that its arguments stay small.
	 */
	static final int MAX_GATHERED = 200;

	private final StringRedisTemplate redis;

	private final RawHostProperties properties;

	private final long keyTtlMillis;

	private final Function<String, HostGauges> gauges;

	private final Queue<Call> queue = new ConcurrentLinkedQueue<>();

	private final ReentrantLock lock = new ReentrantLock();

	private static final Logger log = LoggerFactory.getLogger(BudgetCalls.class);

	BudgetCalls(StringRedisTemplate redis, RawHostProperties properties, long keyTtlMillis,
			Function<String, HostGauges> gauges) {
		this.redis = redis;
		this.properties = properties;
		this.keyTtlMillis = keyTtlMillis;
		this.gauges = gauges;
	}

	/**
	 * What Redis answered a take: {@code outcome} 1 when the lease was taken (value:
	 * when, in Redis ms), -1 while the host is backed off (value: when that ends), -2
	 * when no token is left (value: ms until one is), -3 when every slot is in use.
	 */
	record Taken(long outcome, long value) {

	}

	/**
	 * Takes a token and a slot of {@code host} under lease {@code id} for
	 * {@code leaseMillis}.
	 */
	Taken take(String host, String id, long leaseMillis) {
		Take take = new Take(host, id, leaseMillis, new CompletableFuture<>());
		return send(take, take.answer());
	}

	/**
	 * Gives lease {@code id} back; {@code good}: the host answered its request well (the
	 * rate may rise).
	 */
	void giveBack(String host, String id, boolean good, long sentAt) {
		GiveBack giveBack = new GiveBack(host, id, good, sentAt, new CompletableFuture<>());
		send(giveBack, giveBack.answer());
	}

	/** Calls waiting to be sent (tests). */
	int queued() {
		return this.queue.size();
	}

	/** Whether a script call is being sent now (tests). */
	boolean sending() {
		return this.lock.isLocked();
	}

	private <T> T send(Call call, CompletableFuture<T> answer) {
		this.queue.add(call);
		this.lock.lock();
		// The holder sends others' calls too: an interrupt meant for it must not fail
		// theirs, so it is set aside for the flush and kept for the caller.
		boolean interrupted = Thread.interrupted();
		try {
			while (!answer.isDone()) {
				flush();
			}
		}
		finally {
			this.lock.unlock();
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			return answer.join();
		}
		catch (CompletionException ex) {
			// The failure of the script call that carried this one, for this caller
			// to handle (every caller of that script call gets the same exception).
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
	}

	/**
	 * Sends what is queued (at most {@link #MAX_GATHERED}): one script call per host, or
	 * more when its takes are of several lease lengths (a clone's is longer); a host's
	 * give-backs go with its first.
	 */
	private void flush() {
		List<Call> drained = new ArrayList<>();
		Call call;
		while (drained.size() < MAX_GATHERED && (call = this.queue.poll()) != null) {
			drained.add(call);
		}
		try {
			Map<String, HostCalls> hosts = new LinkedHashMap<>();
			for (Call each : drained) {
				HostCalls host = hosts.computeIfAbsent(each.host(),
						(h) -> new HostCalls(new ArrayList<>(), new LinkedHashMap<>()));
				if (each instanceof Take take) {
					host.takes().computeIfAbsent(take.leaseMillis(), (l) -> new ArrayList<>()).add(take);
				}
				else {
					host.giveBacks().add((GiveBack) each);
				}
			}
			for (HostCalls host : hosts.values()) {
				List<GiveBack> giveBacks = host.giveBacks();
				if (host.takes().isEmpty()) {
					send(giveBacks, List.of(), 0);
				}
				for (Map.Entry<Long, List<Take>> takes : host.takes().entrySet()) {
					send(giveBacks, takes.getValue(), takes.getKey());
					giveBacks = List.of();
				}
			}
		}
		catch (RuntimeException | Error ex) {
			// Every call taken from the queue is answered, or its caller would wait
			// forever; those answered already keep their answer, so say it here too.
			log.warn("Sending the content hosts' gathered budget calls failed", ex);
			drained.forEach((each) -> each.answer().completeExceptionally(ex));
		}
	}

	/**
	 * One script call for one host's calls; every one of them is answered, whatever
	 * happens.
	 */
	private void send(List<GiveBack> giveBacks, List<Take> takes, long leaseMillis) {
		Call first = giveBacks.isEmpty() ? takes.get(0) : giveBacks.get(0);
		List<String> args = new ArrayList<>(5 + 3 * giveBacks.size() + takes.size());
		args.add(Double.toString(this.properties.rate()));
		args.add(Integer.toString(this.properties.maxConcurrency()));
		args.add(Long.toString(leaseMillis));
		args.add(Long.toString(this.keyTtlMillis));
		args.add(Integer.toString(giveBacks.size()));
		for (GiveBack giveBack : giveBacks) {
			args.add(giveBack.id());
			args.add(giveBack.good() ? "1" : "0");
			args.add(Long.toString(giveBack.sentAt()));
		}
		takes.forEach((take) -> args.add(take.id()));
		List<?> answer;
		try {
			answer = this.redis.execute(HostScripts.LEASES, HostBudget.keys(first.host()), args.toArray());
			long taken = ((Number) answer.get(0)).longValue();
			Taken rest = new Taken(((Number) answer.get(1)).longValue(), ((Number) answer.get(2)).longValue());
			Taken granted = new Taken(1, ((Number) answer.get(4)).longValue());
			for (int i = 0; i < takes.size(); i++) {
				takes.get(i).answer().complete((i < taken) ? granted : rest);
			}
			giveBacks.forEach((giveBack) -> giveBack.answer().complete(Boolean.TRUE));
		}
		catch (RuntimeException | Error ex) {
			giveBacks.forEach((giveBack) -> giveBack.answer().completeExceptionally(ex));
			takes.forEach((take) -> take.answer().completeExceptionally(ex));
			return;
		}
		// After the answers, outside their try: Redis acted on every call, whatever the
		// gauges do (a failure here is logged by flush).
		this.gauges.apply(first.host())
			.rate(Double.parseDouble((String) answer.get(3)))
			.gathered(giveBacks.size() + takes.size());
	}

	private record HostCalls(List<GiveBack> giveBacks, Map<Long, List<Take>> takes) {

	}

	private sealed interface Call permits Take, GiveBack {

		String host();

		CompletableFuture<?> answer();

	}

	private record Take(String host, String id, long leaseMillis, CompletableFuture<Taken> answer) implements Call {

	}

	private record GiveBack(String host, String id, boolean good, long sentAt,
			CompletableFuture<Boolean> answer) implements Call {

	}

}
