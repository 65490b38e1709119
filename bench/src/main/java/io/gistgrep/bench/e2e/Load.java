package io.gistgrep.bench.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

/**
 * A closed-loop HTTP load: {@code clients} threads, each with its own connection, sending
 * one GET after the other for a while (after a warm-up whose answers are not counted).
 */
final class Load {

	/**
	 * What a load measured.
	 *
	 * @param requests the answers counted
	 * @param seconds the measured time
	 * @param p50Millis the median latency
	 * @param p99Millis the 99th percentile latency
	 * @param statuses how many answers of each status (-1: the request failed)
	 * @param cpu the CPU of each part per request while counting ({@link CpuSpend})
	 */
	record Result(long requests, double seconds, double p50Millis, double p99Millis, Map<Integer, Long> statuses,
			String cpu) {

		double requestsPerSecond() {
			return this.requests / this.seconds;
		}

		long count(int status) {
			return this.statuses.getOrDefault(status, 0L);
		}

	}

	private record ClientResult(long[] latencies, int count, Map<Integer, Long> statuses) {
	}

	private Load() {
	}

	/**
	 * Runs the load.
	 * @param url what to GET
	 * @param authorization the {@code Authorization} header, empty for none
	 * @param conditional send {@code If-None-Match} with the last {@code ETag} seen
	 * @param clients the concurrent clients
	 * @param warmUp how long to send before counting
	 * @param measure how long to count
	 * @param apps the processes whose CPU is measured while counting
	 */
	static Result run(String url, String authorization, boolean conditional, int clients, Duration warmUp,
			Duration measure, List<AppProcess> apps) {
		long start = System.nanoTime();
		long countFrom = start + warmUp.toNanos();
		long end = countFrom + measure.toNanos();
		List<ClientResult> results = new ArrayList<>();
		CpuSpend counting;
		CpuSpend counted;
		try (ExecutorService threads = Executors.newFixedThreadPool(clients)) {
			List<Future<ClientResult>> running = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				running.add(threads.submit(() -> client(url, authorization, conditional, countFrom, end)));
			}
			Pause.millis(Math.max(0, (countFrom - System.nanoTime()) / 1_000_000));
			counting = CpuSpend.now(apps);
			Pause.millis(Math.max(0, (end - System.nanoTime()) / 1_000_000));
			counted = CpuSpend.now(apps);
			for (Future<ClientResult> future : running) {
				results.add(future.get());
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("The load on " + url + " failed", ex);
		}
		int total = results.stream().mapToInt(ClientResult::count).sum();
		long[] all = new long[total];
		int at = 0;
		Map<Integer, Long> statuses = new TreeMap<>();
		for (ClientResult result : results) {
			System.arraycopy(result.latencies(), 0, all, at, result.count());
			at += result.count();
			result.statuses().forEach((status, count) -> statuses.merge(status, count, Long::sum));
		}
		Arrays.sort(all);
		return new Result(total, measure.toNanos() / 1e9, percentile(all, 0.50), percentile(all, 0.99), statuses,
				counted.perUnit(counting, Math.max(1, total), "request", 1e6, "µs"));
	}

	private static ClientResult client(String url, String authorization, boolean conditional, long countFrom, long end)
			throws IOException, InterruptedException {
		try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			long[] latencies = new long[1 << 16];
			int count = 0;
			Map<Integer, Long> statuses = new TreeMap<>();
			@Nullable String etag = null;
			while (true) {
				HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
				if (!authorization.isEmpty()) {
					request.header("Authorization", authorization);
				}
				if (conditional && etag != null) {
					request.header("If-None-Match", etag);
				}
				long sent = System.nanoTime();
				if (sent >= end) {
					return new ClientResult(latencies, count, statuses);
				}
				int status;
				try {
					HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
					etag = response.headers().firstValue("ETag").orElse(etag);
					status = response.statusCode();
				}
				catch (IOException ex) {
					// Counted as status -1: a failed connection is an answer too slow to
					// count.
					status = -1;
				}
				long answered = System.nanoTime();
				if (sent >= countFrom && answered <= end) {
					if (count == latencies.length) {
						latencies = Arrays.copyOf(latencies, count * 2);
					}
					latencies[count++] = answered - sent;
					statuses.merge(status, 1L, Long::sum);
				}
			}
		}
	}

	private static double percentile(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.clamp(index, 0, sorted.length - 1)] / 1e6;
	}

}
