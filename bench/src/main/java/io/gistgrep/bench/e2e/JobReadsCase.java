package io.gistgrep.bench.e2e;

import java.time.Duration;

import static java.lang.String.format;

/**
 * Case 4: {@code GET /jobs/{id}} with 16 clients against {@code /ping} with 16 clients,
 * then the same job read with {@code If-None-Match}; the CPU per request of each part
 * ({@link CpuSpend}) goes into the report too.
 */
final class JobReadsCase {

	static final int CLIENTS = 16;

	private JobReadsCase() {
	}

	static void run(Settings settings, Stack stack, Api api, Report report, Api.Job job) {
		Duration warmUp = Duration.ofSeconds(Math.max(1, settings.loadSeconds() / 3));
		Duration measure = Duration.ofSeconds(settings.loadSeconds());
		String jobUrl = api.url() + "/jobs/" + job.id();
		// Both endpoints warmed up first, so that neither is measured on a colder JIT.
		Load.run(api.url() + "/ping", "", false, CLIENTS, measure, Duration.ofSeconds(1), stack.all());
		Load.run(jobUrl, api.authorization(), false, CLIENTS, measure, Duration.ofSeconds(1), stack.all());
		Load.Result ping = Load.run(api.url() + "/ping", "", false, CLIENTS, warmUp, measure, stack.all());
		Load.Result plain = Load.run(jobUrl, api.authorization(), false, CLIENTS, warmUp, measure, stack.all());
		Load.Result conditional = Load.run(jobUrl, api.authorization(), true, CLIENTS, warmUp, measure, stack.all());
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
		report.note("Loads", loadLine("/ping", ping));
		report.note("Loads", loadLine("GET /jobs/{id}", plain));
		report.note("Loads", loadLine("GET /jobs/{id} with If-None-Match", conditional));
		report.note("CPU", "case 4, /ping: " + ping.cpu());
		report.note("CPU", "case 4, GET /jobs/{id}: " + plain.cpu());
	}

	private static String loadLine(String name, Load.Result result) {
		return format("%s: %d requests in %.0f s = %.0f req/s, p50 %.2f ms, p99 %.2f ms, statuses %s", name,
				result.requests(), result.seconds(), result.requestsPerSecond(), result.p50Millis(), result.p99Millis(),
				result.statuses());
	}

}
