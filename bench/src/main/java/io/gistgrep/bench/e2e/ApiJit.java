package io.gistgrep.bench.e2e;

import java.util.OptionalDouble;

/**
 * How long the api's JIT has compiled since it started, read from its Prometheus endpoint
 * ({@code jvm_compilation_time_ms_total}, Micrometer's JVM compilation metric): case 4
 * counts its loads only once that has nearly stopped growing, so that "warm" means the
 * JIT has settled; what it still compiles during each counted load is reported with it.
 */
final class ApiJit {

	private static final String METRIC = "jvm_compilation_time_ms_total";

	private final Http http;

	private final String prometheus;

	ApiJit(Http http, int managementPort) {
		this.http = http;
		this.prometheus = "http://127.0.0.1:" + managementPort + "/actuator/prometheus";
	}

	/** Milliseconds the JIT has compiled for, empty when the api does not say. */
	OptionalDouble compiledMillis() {
		return this.http.tryGet(this.prometheus)
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> response.body()
				.lines()
				.filter((line) -> line.startsWith(METRIC + "{") || line.startsWith(METRIC + " "))
				.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
				.reduce(Double::sum))
			.orElse(OptionalDouble.empty());
	}

}
