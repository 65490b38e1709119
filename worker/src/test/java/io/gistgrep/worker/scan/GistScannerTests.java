package io.gistgrep.worker.scan;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.scanner.SearchPattern;
import io.gistgrep.db.gist.FileResult;
import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.db.gist.GistRef;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.worker.github.GitHubClient;
import io.gistgrep.worker.github.GitHubTesting;
import io.gistgrep.worker.listing.ListedGists;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a gist's files come from, against github-sim and a real Redis. The raw limit is 1
 * KB here, so that small files stand for files over GitHub's 10 MB.
 */
class GistScannerTests {

	private static final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private final SearchPattern needle = SearchPattern.compile("NEEDLE_[0-9]+");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@AfterAll
	static void stop() {
		github.close();
	}

	private GistScanner scanner(String maxCloneSize) {
		return scanner(maxCloneSize, null);
	}

	private GistScanner scanner(String maxCloneSize, GitHubTesting.@Nullable CountingConnections connections) {
		Map<String, String> properties = new HashMap<>();
		properties.put("api-url", github.apiUrl());
		properties.put("raw-hosts", github.rawHost());
		properties.put("git-hosts", github.gitHost());
		properties.put("max-raw-file-size", "1KB");
		properties.put("max-clone-size", maxCloneSize);
		if (connections != null) {
			properties.put("raw.rate", "100000");
		}
		GitHubTesting testing = (connections != null) ? new GitHubTesting(properties, this.meters, connections)
				: new GitHubTesting(properties, new SimpleMeterRegistry());
		ScanProperties scan = new ScanProperties(100, 500, DataSize.ofKilobytes(8), Duration.ofMinutes(10),
				Duration.ofSeconds(2));
		return new GistScanner(testing.client(), testing.rawFiles(), testing.clones(),
				new ScanCache(testing.redis(), testing.json(), new SimpleMeterRegistry(), scan, testing.guard()),
				new ScanMeters(this.meters), scan, testing.properties());
	}

	private GistRef listed(GistScanner scanner, SimGist gist) {
		return listed("scan-" + this.run, gist).getFirst();
	}

	private static List<GistRef> listed(String login, SimGist... gists) {
		github.addUser(SimUser.of(login, 4242, gists));
		GitHubClient client = new GitHubTesting(Map.of("api-url", github.apiUrl()), new SimpleMeterRegistry()).client();
		return ListedGists.toRefs(client.listGists(client.firstPageUrl(login), login).gists());
	}

	private SimFile text(String name, int size, String tail) {
		String line = this.run + " " + "y".repeat(80) + "\n";
		return SimFile.text(name, line.repeat(size / line.length() + 1) + tail + "\n");
	}

	@Test
	void aFileOverTheRawLimitIsReadFromAShallowClone() {
		GistScanner scanner = scanner("100MB");
		GistRef gist = listed(scanner, SimGist.of("e1" + this.run, "large", Instant.parse("2024-01-01T00:00:00Z"),
				text("big.txt", 3000, "NEEDLE_1"), SimFile.text("small.txt", this.run + " NEEDLE_2\n")));
		long fetches = github.counters().gitFetches();
		long raw = github.counters().rawRequests();

		GistScanner.GistScan scan = scanner.scan(gist, this.needle);

		assertThat(scan.outcome()).isEqualTo(GistOutcome.SCANNED);
		assertThat(scan.files()).extracting(FileResult::matchCount).containsExactly(1, 1);
		assertThat(github.counters().gitFetches() - fetches).isEqualTo(1);
		assertThat(github.counters().rawRequests() - raw).as("only the small file").isEqualTo(1);
	}

	@Test
	void theScannedBytesAndTimeAreCountedByEngineModeAndACachedRepeatCountsNothing() {
		GistScanner scanner = scanner("100MB");
		SimFile first = SimFile.text("a.txt", this.run + " NEEDLE_1\n");
		SimFile second = SimFile.text("b.txt", this.run + " nothing here\n");
		GistRef gist = listed(scanner,
				SimGist.of("e4" + this.run, "metered", Instant.parse("2024-01-01T00:00:00Z"), first, second));
		long size = gist.files().stream().mapToLong(GistFile::size).sum();
		String mode = this.needle.engineMode();

		scanner.scan(gist, this.needle);
		scanner.scan(gist, this.needle);

		assertThat(this.meters.get("gistgrep.scan.bytes").tag("mode", mode).counter().count())
			.as("both files once: the repeat is answered by the scan cache")
			.isEqualTo(size);
		assertThat(this.meters.get("gistgrep.scan.time").tag("mode", mode).timer().count()).isEqualTo(2);
		assertThat(this.meters.find("gistgrep.scan.bytes").counters()).as("one mode, one series").hasSize(1);
	}

	@Test
	void aBatchAsksRedisForItsCachesTwiceBeforeItsScansAndTwiceAfterHoweverManyFilesItHas() {
		Instant t = Instant.parse("2024-01-01T00:00:00Z");
		SimGist[] gists = new SimGist[4];
		for (int i = 0; i < gists.length; i++) {
			gists[i] = SimGist.of("e7" + i + this.run, "batch", t.plusSeconds(i),
					SimFile.text("a.txt", this.run + " NEEDLE_" + i + "\n"),
					SimFile.text("b.txt", this.run + " " + i + " nothing\n"));
		}
		List<GistRef> refs = listed("batch-" + this.run, gists);
		try (GitHubTesting.CountingConnections redis = GitHubTesting.countingConnections()) {
			GistScanner scanner = scanner("100MB", redis);
			// A full bucket at a high rate: no lease waits for a token and asks again.
			URI rawUrl = URI.create(refs.getFirst().files().getFirst().rawUrl());
			String host = "gistgrep:github:host:" + rawUrl.getHost() + ":" + rawUrl.getPort();
			new StringRedisTemplate(redis).delete(List.of(host, host + ":leases"));
			long raw = github.counters().rawRequests();

			long before = redis.taken();
			CacheBatch caches = scanner.lookUp(planned(refs, this.needle));
			assertThat(redis.taken() - before).as("one read of the results, one of the contents").isEqualTo(2);
			before = redis.taken();
			List<GistScanner.GistScan> scans = refs.stream()
				.map((gist) -> scanner.scan(gist, this.needle, caches))
				.toList();
			assertThat(github.counters().rawRequests() - raw).isEqualTo(8);
			// The leases and releases of files fetched at the same moment go to Redis
			// together (BudgetCalls): each round trip is one of the budget's script
			// calls,
			// and those carried a lease and a release a file.
			DistributionSummary gathered = this.meters.get("gistgrep.github.host.budget.gathered")
				.tag("host", rawUrl.getHost() + ":" + rawUrl.getPort())
				.summary();
			assertThat(redis.taken() - before).as("only the raw host's budget").isEqualTo(gathered.count());
			assertThat(gathered.totalAmount()).as("a lease and a release a file").isEqualTo(2 * 8);
			before = redis.taken();
			scanner.keep(caches);
			assertThat(redis.taken() - before).as("the results and the contents written").isEqualTo(2);
			assertThat(scans).extracting((scan) -> scan.files().getFirst().matchCount()).containsOnly(1);

			GistScanner again = scanner("100MB", redis);
			before = redis.taken();
			CacheBatch repeat = again.lookUp(planned(refs, this.needle));
			List<GistScanner.GistScan> repeated = refs.stream()
				.map((gist) -> again.scan(gist, this.needle, repeat))
				.toList();
			again.keep(repeat);
			assertThat(redis.taken() - before).as("every result read in one round trip, nothing to write").isEqualTo(1);
			assertThat(repeated).isEqualTo(scans);

			SearchPattern other = SearchPattern.compile("nothing");
			before = redis.taken();
			CacheBatch otherCaches = again.lookUp(planned(refs, other));
			List<GistScanner.GistScan> others = refs.stream()
				.map((gist) -> again.scan(gist, other, otherCaches))
				.toList();
			again.keep(otherCaches);
			assertThat(redis.taken() - before).as("results missed, contents read, results written").isEqualTo(3);
			assertThat(github.counters().rawRequests() - raw).as("no file fetched again").isEqualTo(8);
			assertThat(others).extracting((scan) -> scan.files().getLast().matchCount()).containsOnly(1);
		}
	}

	@Test
	void whatABatchFoundAndFetchedIsCachedWhenTheBatchIsKeptAndNotBefore() {
		List<GistRef> refs = listed("kept-" + this.run, SimGist.of("e8" + this.run, "kept",
				Instant.parse("2024-01-01T00:00:00Z"), SimFile.text("a.txt", this.run + " NEEDLE_8\n")));
		GistScanner scanner = scanner("100MB");
		CacheBatch caches = scanner.lookUp(planned(refs, this.needle));
		scanner.scan(refs.getFirst(), this.needle, caches);
		long raw = github.counters().rawRequests();

		GistScanner other = scanner("100MB");
		other.scan(refs.getFirst(), this.needle, other.lookUp(planned(refs, this.needle)));
		assertThat(github.counters().rawRequests() - raw).as("not kept yet: fetched again").isEqualTo(1);

		scanner.keep(caches);
		raw = github.counters().rawRequests();
		GistScanner.GistScan repeat = scanner("100MB").scan(refs.getFirst(), this.needle);
		GistScanner.GistScan otherPattern = scanner("100MB").scan(refs.getFirst(), SearchPattern.compile("NEEDLE"));
		assertThat(github.counters().rawRequests() - raw).as("the result and the content were kept").isZero();
		assertThat(repeat.files()).extracting(FileResult::matchCount).containsExactly(1);
		assertThat(otherPattern.files()).extracting(FileResult::matchCount).containsExactly(1);
	}

	private static List<GistScanner.Planned> planned(List<GistRef> refs, SearchPattern pattern) {
		return refs.stream().map((gist) -> new GistScanner.Planned(gist, pattern)).toList();
	}

	@Test
	void aGistOverTheCloneCapIsSkippedWithItsReasonAndItsSmallFilesStillSearched() {
		GistScanner scanner = scanner("4KB");
		GistRef gist = listed(scanner, SimGist.of("e2" + this.run, "too large", Instant.parse("2024-01-01T00:00:00Z"),
				text("big.txt", 5000, "NEEDLE_1"), SimFile.text("small.txt", this.run + " NEEDLE_2\n")));
		long fetches = github.counters().gitFetches();

		GistScanner.GistScan scan = scanner.scan(gist, this.needle);

		assertThat(scan.outcome()).isEqualTo(GistOutcome.SKIPPED);
		assertThat(scan.error()).isEqualTo("clone-too-large");
		assertThat(scan.files()).extracting(FileResult::skipReason).containsExactly("too-large", null);
		assertThat(scan.files().get(1).matchCount()).isEqualTo(1);
		assertThat(github.counters().gitFetches() - fetches).isZero();
	}

	@Test
	void aTruncatedGistIsScannedCompletelyFromItsCloneAndNotClonedForARepeat() {
		SimFile[] files = new SimFile[310];
		for (int i = 0; i < files.length; i++) {
			files[i] = SimFile.text("f" + i + ".txt", this.run + " " + i + ((i == 305) ? " NEEDLE_305" : "") + "\n");
		}
		GistScanner scanner = scanner("100MB");
		GistRef gist = listed(scanner,
				SimGist.of("e3" + this.run, "many", Instant.parse("2024-01-01T00:00:00Z"), files));
		assertThat(gist.truncated()).isTrue();
		assertThat(gist.files()).hasSize(300);
		long fetches = github.counters().gitFetches();
		long raw = github.counters().rawRequests();

		GistScanner.GistScan scan = scanner.scan(gist, this.needle);
		GistScanner.GistScan again = scanner("100MB").scan(gist, this.needle);

		assertThat(scan.outcome()).isEqualTo(GistOutcome.SCANNED);
		assertThat(scan.files()).hasSize(310);
		List<FileResult> matched = scan.files().stream().filter((f) -> f.matchCount() > 0).toList();
		assertThat(matched).singleElement().satisfies((file) -> {
			assertThat(file.file().filename()).isEqualTo("f305.txt");
			assertThat(file.file().rawUrl()).contains("/e3" + this.run + "/raw/").endsWith("/f305.txt");
		});
		assertThat(again.files()).isEqualTo(scan.files());
		assertThat(github.counters().gitFetches() - fetches).as("one clone for both scans").isEqualTo(1);
		assertThat(github.counters().rawRequests() - raw).isZero();
	}

	@Test
	void aRepeatScanWithTheSamePatternFetchesNothing() {
		GistRef gist = listed(scanner("100MB"),
				SimGist.of("e4" + this.run, "small", Instant.parse("2024-01-01T00:00:00Z"),
						SimFile.text("a.txt", this.run + " NEEDLE_1\n"),
						SimFile.text("b.txt", this.run + " nothing\n")));
		long raw = github.counters().rawRequests();

		GistScanner.GistScan first = scanner("100MB").scan(gist, this.needle);
		GistScanner.GistScan second = scanner("100MB").scan(gist, this.needle);
		GistScanner.GistScan otherPattern = scanner("100MB").scan(gist, SearchPattern.compile("nothing"));

		assertThat(github.counters().rawRequests() - raw).isEqualTo(2);
		assertThat(second.files()).isEqualTo(first.files());
		assertThat(otherPattern.files()).extracting(FileResult::matchCount).containsExactly(0, 1);
	}

	@Test
	void aFileTheListingLeftOutGetsARawUrlSpelledAsGitHubSpellsItsListedFiles() {
		String odd = "odd (1)+a;b=c,d@e:f ü~.txt";
		SimFile[] files = new SimFile[301];
		for (int i = 0; i < 300; i++) {
			files[i] = SimFile.text("f" + i + ".txt", this.run + " " + i + "\n");
		}
		files[300] = SimFile.text(odd, this.run + " NEEDLE_300\n");
		Instant t = Instant.parse("2024-01-01T00:00:00Z");
		List<GistRef> gists = listed("odd-" + this.run,
				SimGist.of("e5" + this.run, "listed", t.plusSeconds(1), SimFile.text(odd, "listed\n")),
				SimGist.of("e6" + this.run, "truncated", t, files));
		String listedRawUrl = gists.getFirst().files().getFirst().rawUrl();
		GistRef truncated = gists.get(1);
		assertThat(truncated.truncated()).isTrue();

		GistScanner.GistScan scan = scanner("100MB").scan(truncated, this.needle);

		FileResult unlisted = scan.files().getLast();
		assertThat(unlisted.file().filename()).isEqualTo(odd);
		assertThat(unlisted.matchCount()).isEqualTo(1);
		String segment = unlisted.file().rawUrl().substring(unlisted.file().rawUrl().lastIndexOf('/'));
		assertThat(segment).isEqualTo(listedRawUrl.substring(listedRawUrl.lastIndexOf('/')))
			.isEqualTo("/odd%20%281%29%2Ba%3Bb%3Dc%2Cd%40e%3Af%20%C3%BC~.txt");
		byte[] fetched = new GitHubTesting(
				Map.of("api-url", github.apiUrl(), "raw-hosts", github.rawHost(), "git-hosts", github.gitHost()),
				new SimpleMeterRegistry())
			.rawFiles()
			.fetch(unlisted.file().rawUrl());
		assertThat(new String(fetched, StandardCharsets.UTF_8)).isEqualTo(this.run + " NEEDLE_300\n");
	}

}
