package io.gistgrep.worker.github;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A loopback stand-in for GitHub, for the warm-up's rehearsal ({@link Rehearsal}): one
 * user's gists in pages of 100, as the REST API lists them (with {@code Link} and rate
 * headers), and their files on the raw host's paths ({@code /<user>/<gist>/raw/<blob
 * SHA>/<name>}). Every file's bytes are new at each opening (a random line in each), so
 * that no cache of an earlier warm-up answers for them and the fetches are made.
 * <p>
 * JDK's own HTTP server ({@code jdk.httpserver}), on virtual threads: it needs no
 * dependency and serves loopback requests, which is all that is asked of it here.
 */
final class StandIn implements AutoCloseable {

	static final String USER = "gistgrep-rehearsal";

	private static final int PER_PAGE = 100;

	/** Every {@code MATCHING}th gist (from the first) has these in its first file. */
	static final int MATCHING = 3;

	private static final List<String> NEEDLES = List.of("    # TODO: retry on 503",
			"const key = 'AKIAIOSFODNN7EXAMPLE';");

	/** Lines that none of the rehearsal's patterns matches. */
	private static final String[] LINES = { "import os", "def handler(event, context):",
			"    password = os.environ['PASSWORD']", "for (int i = 0; i < n; i++) { sum += values[i]; }",
			"SELECT id, name FROM users WHERE id = $1;",
			"    return {\"statusCode\": 200, \"body\": json.dumps(result)}", "export PATH=\"$HOME/bin:$PATH\"",
			"  - name: install dependencies", "" };

	private final HttpServer server;

	private final ExecutorService executor;

	private final URI base;

	/** Each page's JSON, in order. */
	private final List<byte[]> pages = new ArrayList<>();

	private final int gists;

	/** Each file's bytes, by its raw URL's path. */
	private final Map<String, byte[]> files = new LinkedHashMap<>();

	private StandIn(HttpServer server, ExecutorService executor, int gists, JsonMapper json) {
		this.server = server;
		this.executor = executor;
		this.base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
		this.gists = gists;
		SplittableRandom random = new SplittableRandom();
		List<Map<String, Object>> listed = new ArrayList<>();
		for (int i = 0; i < gists; i++) {
			String id = Long.toHexString(random.nextLong() | Long.MIN_VALUE);
			Map<String, Object> gistFiles = new LinkedHashMap<>();
			for (String name : List.of("handler.py", "notes.md")) {
				boolean needles = i % MATCHING == 0 && name.equals("handler.py");
				byte[] content = content(random, 10 + random.nextInt(60), needles);
				String path = "/" + USER + "/" + id + "/raw/" + BlobSha.compute(content) + "/" + name;
				this.files.put(path, content);
				gistFiles.put(name, Map.of("filename", name, "type", "text/plain", "language", "Text", "raw_url",
						this.base + path, "size", content.length));
			}
			listed.add(Map.of("id", id, "html_url", "https://gist.github.com/" + USER + "/" + id, "description",
					"rehearsal " + i, "updated_at", Instant.now().toString(), "truncated", false, "files", gistFiles,
					"git_pull_url", this.base + "/" + id + ".git"));
		}
		for (int from = 0; from < listed.size() || from == 0; from += PER_PAGE) {
			this.pages.add(json.writeValueAsBytes(listed.subList(from, Math.min(from + PER_PAGE, listed.size()))));
		}
		server.createContext("/", this::answer);
	}

	/** Starts a stand-in with {@code gists} gists of two small files each. */
	static StandIn start(int gists, JsonMapper json) throws IOException {
		// 127.0.0.1 as the URLs say, whichever loopback address the JVM prefers.
		HttpServer server = HttpServer
			.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }), 0), 0);
		ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
		server.setExecutor(executor);
		try {
			StandIn standIn = new StandIn(server, executor, gists, json);
			server.start();
			return standIn;
		}
		catch (RuntimeException ex) {
			server.stop(0);
			executor.close();
			throw ex;
		}
	}

	/** The stand-in's base URL, as {@code gistgrep.github.api-url} would be. */
	URI base() {
		return this.base;
	}

	/** The blob SHAs of every listed file. */
	Set<String> blobShas() {
		Set<String> shas = new LinkedHashSet<>();
		this.files.keySet().forEach((path) -> BlobSha.of(this.base + path).ifPresent(shas::add));
		return shas;
	}

	/** How many of the gists hold a line that a rehearsal's pattern matches. */
	int matchingGists() {
		return (this.gists + MATCHING - 1) / MATCHING;
	}

	private void answer(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			byte[] file = this.files.get(path);
			if (file != null) {
				send(exchange, 200, "text/plain; charset=utf-8", file);
				return;
			}
			if (!path.equals("/users/" + USER + "/gists")) {
				send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
				return;
			}
			int page;
			try {
				page = page(exchange.getRequestURI().getQuery());
			}
			catch (NumberFormatException ex) {
				send(exchange, 422, "application/json",
						"{\"message\":\"Validation Failed\"}".getBytes(StandardCharsets.UTF_8));
				return;
			}
			if (page < this.pages.size()) {
				exchange.getResponseHeaders()
					.add("Link", "<" + this.base + path + "?per_page=" + PER_PAGE + "&page=" + (page + 1)
							+ ">; rel=\"next\"");
			}
			exchange.getResponseHeaders().add("X-RateLimit-Limit", "5000");
			exchange.getResponseHeaders().add("X-RateLimit-Remaining", "4999");
			exchange.getResponseHeaders()
				.add("X-RateLimit-Reset", Long.toString(Instant.now().plusSeconds(3600).getEpochSecond()));
			// Past the last page, as GitHub answers: an empty page.
			send(exchange, 200, "application/json; charset=utf-8",
					(page <= this.pages.size()) ? this.pages.get(page - 1) : "[]".getBytes(StandardCharsets.UTF_8));
		}
	}

	/** The page a listing URL asks for, from 1. */
	private static int page(String query) {
		if (query != null) {
			for (String parameter : query.split("&")) {
				if (parameter.startsWith("page=")) {
					return Math.max(1, Integer.parseInt(parameter.substring(5)));
				}
			}
		}
		return 1;
	}

	private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
		exchange.getResponseHeaders().add("Content-Type", type);
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static byte[] content(SplittableRandom random, int lines, boolean needles) {
		StringBuilder text = new StringBuilder(lines * 40);
		text.append("# ").append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36)).append('\n');
		for (int i = 0; i < lines; i++) {
			text.append(LINES[random.nextInt(LINES.length)]).append('\n');
			if (needles && i % 8 == 0) {
				text.append(NEEDLES.get(random.nextInt(NEEDLES.size()))).append('\n');
			}
		}
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.close();
	}

}
