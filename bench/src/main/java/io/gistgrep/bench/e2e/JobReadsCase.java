package io.gistgrep.bench.e2e;

import java.time.Duration;
import java.util.OptionalDouble;

import static java.lang.String.format;

/**
 * Case 4: {@code GET /jobs/{id}} of a succeeded job with 16 clients against {@code /ping}
 * with 16 clients, then the same job read with {@code If-None-Match}, and a cancelled
 * job's (read from its row every time, as a running job's is); the CPU per request of
 * each part ({@link CpuSpend}) goes into the report too.
 */
final class JobReadsCase {

	static final int CLIENTS = 16;

	private JobReadsCase() {
	}

	/** A warm-up round: each endpoint for this long. */
	private static final Duration ROUND = Duration.ofSeconds(2);

	static void run(Settings settings, Stack stack, Api api, Report report, Api.Job job, Http http) {
		Duration warmUp = Duration.ofSeconds(Math.max(1, settings.loadSeconds() / 3));
		Duration measure = Duration.ofSeconds(settings.loadSeconds());
		String jobUrl = api.url() + "/jobs/" + job.id();
		// The job read is a succeeded one's, kept in the api's memory once read; a job
		// that can still change is read from its row every time. A cancelled job is one
		// that stays so for the load (a running job ends under it).
		Api.Submitted cancelled = api.submit(job.username(), job.pattern());
		String queriedUrl = api.cancel(cancelled.id()) ? api.url() + "/jobs/" + cancelled.id() : null;
		ApiJit jit = new ApiJit(http, settings.apiPort() + 1);
		// Every endpoint warmed up first, so that none is measured on a colder JIT, then
		// again in rounds until the JIT has settled: on 2 cores its compiler threads took
		// half of the api's CPU for a minute of these loads.
		Runnable round = () -> {
			Load.run(api.url() + "/ping", "", false, CLIENTS, ROUND, Duration.ofMillis(100), stack.all());
			Load.run(jobUrl, api.authorization(), false, CLIENTS, ROUND, Duration.ofMillis(100), stack.all());
			if (queriedUrl != null) {
				Load.run(queriedUrl, api.authorization(), false, CLIENTS, ROUND, Duration.ofMillis(100), stack.all());
			}
		};
		Load.run(api.url() + "/ping", "", false, CLIENTS, measure, Duration.ofSeconds(1), stack.all());
		Load.run(jobUrl, api.authorization(), false, CLIENTS, measure, Duration.ofSeconds(1), stack.all());
		if (queriedUrl != null) {
			Load.run(queriedUrl, api.authorization(), false, CLIENTS, measure, Duration.ofSeconds(1), stack.all());
		}
		JitSettling.Outcome settled = JitSettling.settle(jit::compiledMillis, "the api's jvm_compilation_time_ms_total",
				Duration.ofSeconds(settings.quick() ? 10 : 90), round);
		report.note("Loads", "the api's JIT before the counted loads, rounds of every load: " + settled.summary()
				+ (settled.settled() ? "" : ": the counted loads share the CPU with it"));
		Compiling pingJit = Compiling.start(jit);
		Load.Result ping = Load.run(api.url() + "/ping", "", false, CLIENTS, warmUp, measure, stack.all());
		String pingCompiled = pingJit.stop();
		Compiling plainJit = Compiling.start(jit);
		Load.Result plain = Load.run(jobUrl, api.authorization(), false, CLIENTS, warmUp, measure, stack.all());
		String plainCompiled = plainJit.stop();
		Load.Result conditional = Load.run(jobUrl, api.authorization(), true, CLIENTS, warmUp, measure, stack.all());
		Load.Result queried = (queriedUrl != null)
				? Load.run(queriedUrl, api.authorization(), false, CLIENTS, warmUp, measure, stack.all()) : null;
		boolean met = plain.p99Millis() <= 1.5 * ping.p99Millis()
				&& plain.requestsPerSecond() >= 0.6 * ping.requestsPerSecond();
		String check = (plain.count(200) == plain.requests()) ? ""
				: "statuses " + plain.statuses() + " (all should be 200)";
		if (conditional.count(200) + conditional.count(304) != conditional.requests()) {
			check += "conditional statuses " + conditional.statuses() + "; ";
		}
		report.row("4. `GET /jobs/{id}`, 16 clients, warm", "p99 ≤ 1.5× /ping's, req/s ≥ 60 % of /ping's",
				format("p99 %.1f ms (%.2f×), %.0f req/s (%.0f %%); with If-None-Match: %d of %d answers 304",
						plain.p99Millis(), plain.p99Millis() / ping.p99Millis(), plain.requestsPerSecond(),
						100 * plain.requestsPerSecond() / ping.requestsPerSecond(), conditional.count(304),
						conditional.requests()),
				format("/ping: p50 %.1f ms, p99 %.1f ms, %.0f req/s", ping.p50Millis(), ping.p99Millis(),
						ping.requestsPerSecond()),
				met, check);
		report.note("Loads", loadLine("/ping", ping) + "; the api's JIT compiled " + pingCompiled);
		report.note("Loads", loadLine("GET /jobs/{id}", plain) + "; the api's JIT compiled " + plainCompiled);
		report.note("Loads", loadLine("GET /jobs/{id} with If-None-Match", conditional));
		if (queried != null) {
			report.note("Loads",
					loadLine("GET /jobs/{id} of a cancelled job, read from its row every time", queried) + format(
							": p99 %.2f× /ping's, %.0f %% of its req/s", queried.p99Millis() / ping.p99Millis(),
							100 * queried.requestsPerSecond() / ping.requestsPerSecond()));
		}
		else {
			report.note("Loads", "GET /jobs/{id} of a cancelled job: not measured, the job ended before its cancel");
		}
		report.note("CPU", "case 4, /ping: " + ping.cpu());
		report.note("CPU", "case 4, GET /jobs/{id}: " + plain.cpu());
		if (queried != null) {
			report.note("CPU", "case 4, GET /jobs/{id} of a cancelled job: " + queried.cpu());
		}
	}

	/** The JIT's compile time over one load, read before and after. */
	private record Compiling(ApiJit jit, OptionalDouble before) {

		static Compiling start(ApiJit jit) {
			return new Compiling(jit, jit.compiledMillis());
		}

		String stop() {
			OptionalDouble after = this.jit.compiledMillis();
			if (this.before.isEmpty() || after.isEmpty()) {
				return "(not read)";
			}
			return format("%.0f ms during it", after.getAsDouble() - this.before.getAsDouble());
		}

	}

	private static String loadLine(String name, Load.Result result) {
		return format("%s: %d requests in %.0f s = %.0f req/s, p50 %.2f ms, p99 %.2f ms, statuses %s", name,
				result.requests(), result.seconds(), result.requestsPerSecond(), result.p50Millis(), result.p99Millis(),
				result.statuses());
	}

}
