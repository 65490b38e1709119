package io.gistgrep.bench.e2e;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Polls the workers' heap ({@code jvm_memory_used_bytes{area="heap"}} on their Prometheus
 * endpoint, every 100 ms) while a job runs, and keeps the peak.
 */
final class HeapWatch {

	/**
	 * What was seen.
	 *
	 * @param job the job that ran meanwhile
	 * @param peakMb the highest heap use of any worker, in MB
	 * @param maxMb the largest heap a worker may take, in MB
	 * @param beforeMb the heap use of the worker with the peak, before the job
	 */
	record Peak(Api.Job job, double peakMb, double maxMb, double beforeMb) {
	}

	private HeapWatch() {
	}

	static Peak during(Http http, List<AppProcess> workers, Supplier<Api.Job> run) {
		double before = workers.stream()
			.mapToDouble((worker) -> heap(http, worker, "jvm_memory_used_bytes"))
			.max()
			.orElse(0);
		double max = workers.stream()
			.mapToDouble((worker) -> heap(http, worker, "jvm_memory_max_bytes"))
			.max()
			.orElse(0);
		AtomicBoolean done = new AtomicBoolean();
		try (ExecutorService poller = Executors.newSingleThreadExecutor()) {
			Future<Double> peak = poller.submit(() -> {
				double highest = 0;
				while (!done.get()) {
					for (AppProcess worker : workers) {
						highest = Math.max(highest, heap(http, worker, "jvm_memory_used_bytes"));
					}
					Pause.millis(100);
				}
				return highest;
			});
			Api.Job job;
			try {
				job = run.get();
			}
			finally {
				done.set(true);
			}
			return new Peak(job, Math.max(peak.get(), before) / 1e6, max / 1e6, before / 1e6);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Watching the workers' heap failed", ex);
		}
	}

	/**
	 * The sum of a metric's heap series on a worker's Prometheus endpoint (negative
	 * maxima left out).
	 */
	static double heap(Http http, AppProcess worker, String metric) {
		return http.tryGet("http://127.0.0.1:" + worker.port + "/actuator/prometheus")
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> response.body()
				.lines()
				.filter((line) -> line.startsWith(metric + "{") && line.contains("area=\"heap\""))
				.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
				.filter((value) -> value > 0)
				.sum())
			.orElse(0.0);
	}

}
