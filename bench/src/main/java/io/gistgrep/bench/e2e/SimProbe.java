package io.gistgrep.bench.e2e;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Talks to github-sim directly, as a reference for the pipeline: lists a user's gists,
 * fetches every raw file with a given concurrency (the simulator's own throughput), and
 * finds which gists match a pattern with {@code java.util.regex}, so each job's
 * {@code gists_matched} can be checked.
 */
final class SimProbe {

	/** A gist as the listing shows it: its id and its files' raw URLs. */
	record ListedGist(String id, List<String> rawUrls) {
	}

	/** A user's listing: how many pages (of 100) and the gists. */
	record Listing(String login, int pages, List<ListedGist> gists) {

		int files() {
			return this.gists.stream().mapToInt((gist) -> gist.rawUrls().size()).sum();
		}

	}

	/**
	 * A fetch of every raw file of a listing.
	 *
	 * @param files the files fetched
	 * @param bytes their bytes
	 * @param seconds the wall time
	 * @param concurrency the requests in flight
	 * @param matchingGists the gists with a file the pattern matches
	 */
	record Fetch(int files, long bytes, double seconds, int concurrency, int matchingGists) {

		double requestsPerSecond() {
			return this.files / this.seconds;
		}

	}

	private final Http http;

	private final String apiUrl;

	SimProbe(Http http, String apiUrl) {
		this.http = http;
		this.apiUrl = apiUrl;
	}

	Listing list(String login) {
		List<ListedGist> gists = new ArrayList<>();
		int page = 1;
		while (true) {
			HttpResponse<String> response = this.http
				.send(Http.request(this.apiUrl + "/users/" + login + "/gists?per_page=100&page=" + page)
					.header("Authorization", "token bench-probe")
					.header("User-Agent", "gistgrep-bench")
					.build());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("github-sim listed " + login + " page " + page + " with "
						+ response.statusCode() + ": " + response.body());
			}
			JsonNode array = Http.json(response);
			for (JsonNode gist : array) {
				List<String> rawUrls = new ArrayList<>();
				for (JsonNode file : gist.path("files")) {
					rawUrls.add(file.path("raw_url").asString());
				}
				gists.add(new ListedGist(gist.path("id").asString(), rawUrls));
			}
			if (array.size() < 100) {
				return new Listing(login, page, gists);
			}
			page++;
		}
	}

	/** Fetches every raw file of {@code listing}, {@code concurrency} at a time. */
	Fetch fetchAll(Listing listing, int concurrency, Pattern pattern) {
		Set<String> matching = ConcurrentHashMap.newKeySet();
		AtomicLong bytes = new AtomicLong();
		List<String[]> work = new ArrayList<>();
		for (ListedGist gist : listing.gists()) {
			for (String url : gist.rawUrls()) {
				work.add(new String[] { gist.id(), url });
			}
		}
		AtomicLong next = new AtomicLong();
		long start = System.nanoTime();
		try (ExecutorService threads = Executors.newFixedThreadPool(concurrency)) {
			List<Future<?>> running = new ArrayList<>();
			for (int t = 0; t < concurrency; t++) {
				running.add(threads.submit(() -> {
					for (long i = next.getAndIncrement(); i < work.size(); i = next.getAndIncrement()) {
						String[] item = work.get((int) i);
						HttpResponse<byte[]> response = this.http
							.getBytes(Http.request(item[1]).header("User-Agent", "gistgrep-bench").build());
						if (response.statusCode() != 200) {
							throw new IllegalStateException(
									"github-sim answered " + response.statusCode() + " for " + item[1]);
						}
						bytes.addAndGet(response.body().length);
						if (pattern.matcher(new String(response.body(), StandardCharsets.UTF_8)).find()) {
							matching.add(item[0]);
						}
					}
					return null;
				}));
			}
			for (Future<?> future : running) {
				future.get();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Fetching the raw files of " + listing.login() + " failed", ex);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Fetch(work.size(), bytes.get(), seconds, concurrency, matching.size());
	}

	/** Sets the simulator's API and raw latency ({@code POST /_sim/latency}). */
	void latency(int apiMillis, int rawMillis) {
		HttpResponse<String> response = this.http
			.send(Http.request(this.apiUrl + "/_sim/latency?api-ms=" + apiMillis + "&raw-ms=" + rawMillis)
				.POST(java.net.http.HttpRequest.BodyPublishers.noBody())
				.build());
		if (response.statusCode() != 204) {
			throw new IllegalStateException("github-sim refused the latency: " + response.statusCode() + " "
					+ response.body() + " (a github-sim without POST /_sim/latency?)");
		}
	}

}
