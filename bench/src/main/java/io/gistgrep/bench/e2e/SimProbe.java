package io.gistgrep.bench.e2e;

import java.net.http.HttpRequest;
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

import org.jspecify.annotations.Nullable;
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

	/** A user's listing: how many pages (of 100), the gists, and each page's ETag. */
	record Listing(String login, int pages, List<ListedGist> gists, List<String> etags) {

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
		List<String> etags = new ArrayList<>();
		int page = 1;
		while (true) {
			HttpResponse<String> response = page(login, page, null);
			if (response.statusCode() != 200) {
				throw new IllegalStateException("github-sim listed " + login + " page " + page + " with "
						+ response.statusCode() + ": " + response.body());
			}
			etags.add(response.headers().firstValue("etag").orElse(""));
			JsonNode array = Http.json(response);
			for (JsonNode gist : array) {
				List<String> rawUrls = new ArrayList<>();
				for (JsonNode file : gist.path("files")) {
					rawUrls.add(file.path("raw_url").asString());
				}
				gists.add(new ListedGist(gist.path("id").asString(), rawUrls));
			}
			if (array.size() < 100) {
				return new Listing(login, page, gists, etags);
			}
			page++;
		}
	}

	/**
	 * Lists {@code listing}'s pages again as a job's second listing pass does, each with
	 * the {@code If-None-Match} of its first answer; every page answers {@code 304}.
	 */
	void relist(Listing listing) {
		for (int page = 1; page <= listing.pages(); page++) {
			HttpResponse<String> response = page(listing.login(), page, listing.etags().get(page - 1));
			if (response.statusCode() != 304) {
				throw new IllegalStateException("github-sim listed " + listing.login() + " page " + page
						+ " again with " + response.statusCode() + ", not 304");
			}
		}
	}

	/**
	 * A listing page, asked as the worker asks (its headers, a token of the bench's own).
	 */
	private HttpResponse<String> page(String login, int page, @Nullable String etag) {
		HttpRequest.Builder request = Http.request(this.apiUrl + "/users/" + login + "/gists?per_page=100&page=" + page)
			.header("Accept", "application/vnd.github+json")
			.header("X-GitHub-Api-Version", "2022-11-28")
			.header("Authorization", "Bearer bench-probe")
			.header("User-Agent", "gistgrep-bench");
		if (etag != null) {
			request.header("If-None-Match", etag);
		}
		return this.http.send(request.build());
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
