package io.gistgrep.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of {@code bench/e2e.sh}, and the sizes of the cases they imply.
 *
 * @param cases the cases to run (1 to 6 of issue 13's table), in the order 3, 1, 2, 4, 5,
 * 6
 * @param quick smaller sizes and shorter loads, for a smoke run
 * @param workers how many workers to start
 * @param redisDb the Redis database of the apps, emptied before every cold case
 * @param database the PostgreSQL database of the apps
 * @param vhost the RabbitMQ virtual host of the apps
 * @param apiPort the api's port (its management port is the next one)
 * @param workerPort the first worker's port (the others follow)
 * @param simPort the simulator's API port (its raw and git port is the next one)
 * @param rawConcurrency raw requests one worker keeps in flight to the content host, for
 * the references; 0 takes 32, the ceiling a worker's adaptive limit grows to by default
 * @param startUps how many start-ups of the api and the workers case 3 measures the first
 * job of (3 unless given, 1 with {@code quick})
 * @param label a suffix of the results file's name, empty for none
 * @param jars where the jars of github-sim, api and worker are
 * @param runDir where logs and generated fixtures go
 * @param resultsDir where the results file goes
 */
record Settings(Set<Integer> cases, boolean quick, int workers, int redisDb, String database, String vhost, int apiPort,
		int workerPort, int simPort, int rawConcurrency, int startUps, String label, Path jars, Path runDir,
		Path resultsDir) {

	static final String USAGE = """
			Usage: bench/e2e.sh [--quick] [--cases LIST] [--workers K] [--redis-db N] [--label NAME] [--raw-concurrency N]
			                    [--start-ups N] [--api-port P] [--worker-port P] [--sim-port P]
			  --quick            smaller sizes and shorter loads (a smoke run, about 2.5 minutes)
			  --cases LIST       cases to run, e.g. 1,4 (all: 1,2,3,4,5,6)
			  --workers K        workers to start (1)
			  --redis-db N       Redis database to use (and FLUSHDB); default: one leased like the tests do
			  --label NAME       results file bench/results/e2e-<date>-NAME.md
			  --raw-concurrency  raw requests in flight per worker, for the references (default:
			                     32: the adaptive limit's default ceiling)
			  --start-ups N      start-ups of the apps whose first job case 3 measures, the figure
			                     being their median (default 3; 1 with --quick)
			  --api-port P       api port, management P+1 (18080); workers from --worker-port (18082);
			                     github-sim API on --sim-port (19090), raw and git on P+1 (127.0.0.2)
			""";

	static Settings parse(String[] args) {
		Set<Integer> cases = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6));
		boolean quick = false;
		int workers = 1;
		int redisDb = -1;
		int apiPort = 18080;
		int workerPort = 18082;
		int simPort = 19090;
		int rawConcurrency = 0;
		Integer startUps = null;
		String label = "";
		String database = "gistgrep_bench";
		String vhost = "gistgrep-bench";
		Path jars = Path.of("bench/target/e2e/jars");
		Path runDir = Path.of("bench/target/e2e");
		Path resultsDir = Path.of("bench/results");
		List<String> rest = new ArrayList<>(List.of(args));
		while (!rest.isEmpty()) {
			String option = rest.removeFirst();
			switch (option) {
				case "--quick" -> quick = true;
				case "--cases" -> {
					cases = new TreeSet<>();
					for (String number : value(option, rest).split(",")) {
						cases.add(Integer.parseInt(number.strip()));
					}
				}
				case "--workers" -> workers = Integer.parseInt(value(option, rest));
				case "--redis-db" -> redisDb = Integer.parseInt(value(option, rest));
				case "--label" -> label = value(option, rest);
				case "--raw-concurrency" -> rawConcurrency = Integer.parseInt(value(option, rest));
				case "--start-ups" -> startUps = Integer.parseInt(value(option, rest));
				case "--api-port" -> apiPort = Integer.parseInt(value(option, rest));
				case "--worker-port" -> workerPort = Integer.parseInt(value(option, rest));
				case "--sim-port" -> simPort = Integer.parseInt(value(option, rest));
				case "--database" -> database = value(option, rest);
				case "--vhost" -> vhost = value(option, rest);
				case "--jars" -> jars = Path.of(value(option, rest));
				case "--run-dir" -> runDir = Path.of(value(option, rest));
				case "--results-dir" -> resultsDir = Path.of(value(option, rest));
				default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
			}
		}
		if (cases.isEmpty() || !Set.of(1, 2, 3, 4, 5, 6).containsAll(cases)) {
			throw new IllegalArgumentException("--cases takes numbers from 1 to 6, not " + cases + "\n" + USAGE);
		}
		if (workers < 1 || redisDb < 1 || redisDb > 15) {
			throw new IllegalArgumentException("--workers must be at least 1 and --redis-db between 1 and 15");
		}
		if (startUps == null) {
			startUps = quick ? 1 : 3;
		}
		else if (startUps < 1) {
			throw new IllegalArgumentException("--start-ups must be at least 1");
		}
		if (rawConcurrency < 1) {
			// A worker's adaptive limit per content host grows up to the shared in-flight
			// cap
			// (32 by default) while the host answers well, as the simulator does.
			rawConcurrency = 32;
		}
		return new Settings(Set.copyOf(cases), quick, workers, redisDb, database, vhost, apiPort, workerPort, simPort,
				rawConcurrency, startUps, label, jars, runDir, resultsDir);
	}

	private static String value(String option, List<String> rest) {
		if (rest.isEmpty()) {
			throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
		}
		return rest.removeFirst();
	}

	boolean runs(int number) {
		return this.cases.contains(number);
	}

	/** Gists of the user of case 1. */
	int bigUserGists() {
		return this.quick ? 1_000 : 5_000;
	}

	/** Gists of the user of cases 2 and 3. */
	int smallUserGists() {
		return 250;
	}

	/** Gists of the long job of case 5. */
	int fairnessBigGists() {
		return this.quick ? 4_000 : 20_000;
	}

	/** The 10-gist jobs of case 5. */
	int fairnessSmallJobs() {
		return this.quick ? 5 : 20;
	}

	/** Seconds of each measured load of case 4 (after a warm-up of a third of it). */
	int loadSeconds() {
		return this.quick ? 3 : 10;
	}

	/** Raw requests the workers keep in flight together, at most. */
	int totalRawConcurrency() {
		return this.rawConcurrency * this.workers;
	}

	String simUrl() {
		return "http://127.0.0.1:" + this.simPort;
	}

	String apiUrl() {
		return "http://127.0.0.1:" + this.apiPort;
	}

}
