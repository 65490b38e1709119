package io.gistgrep.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The raw content listener, imitating {@code gist.githubusercontent.com}: serves
 * {@code /{owner}/{gist_id}/raw/{blob_sha}/{filename}} (and the latest revision at
 * {@code /{owner}/{gist_id}/raw/{filename}}) as exact bytes, outside the API's rate
 * limit.
 * <p>
 * Test paths: {@code /_redirect/{hops}/{path…}} answers 302 to
 * {@code /_redirect/{hops-1}/…}, and at one hop to {@code /{path…}};
 * {@code /_redirect-away/{host}} answers 302 to {@code http://{host}/elsewhere};
 * {@code /_chunked/{bytes}} streams that many bytes with chunked transfer coding (no
 * {@code content-length}).
 * <p>
 * The {@link RawThrottle} sees every request first, then the injected faults.
 */
final class RawHandler implements HttpHandler {

	/** GitHub refuses raw files over 10 MB: those need a git clone. */
	static final int RAW_LIMIT = 10 * 1024 * 1024;

	private static final System.Logger LOGGER = System.getLogger(RawHandler.class.getName());

	private final SimContext context;

	RawHandler(SimContext context) {
		this.context = context;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			this.context.counters().rawRequest(exchange.getRequestHeaders().containsKey("Authorization"));
			Reply throttled = this.context.rawThrottle().admit();
			if (throttled != null) {
				this.context.counters().completed(RequestKind.RAW, throttled.status());
				throttled.send(exchange);
				return;
			}
			String path = exchange.getRequestURI().getRawPath();
			if (path.startsWith("/_chunked/")) {
				long bytes = Long.parseLong(path.substring("/_chunked/".length()));
				this.context.counters().completed(RequestKind.RAW, 200);
				chunked(exchange, bytes);
				return;
			}
			Reply reply;
			try {
				reply = respond(exchange);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				LOGGER.log(System.Logger.Level.WARNING, "Failed to answer " + exchange.getRequestURI(), ex);
				reply = Reply.text(500, "500: Internal Server Error");
			}
			// Count before sending, so a client that reads the counters after its
			// response sees its own request.
			this.context.counters().completed(RequestKind.RAW, reply.status());
			reply.send(exchange);
		}
	}

	private Reply respond(HttpExchange exchange) throws InterruptedException {
		FaultInjector faults = this.context.faults();
		faults.delay(Target.RAW);
		Fault queued = faults.nextQueued(Target.RAW);
		if (queued == Fault.STATUS_500) {
			this.context.counters().countInjectedFault(Target.RAW, queued);
			return Reply.text(500, "500: Internal Server Error");
		}
		if (faults.shouldFail(Target.RAW)) {
			this.context.counters().countInjectedFault(Target.RAW, Fault.STATUS_500);
			int status = faults.faults().errorStatus();
			return Reply.text(status, status + ": " + ((status == 429) ? "Too Many Requests" : "Server Error"));
		}
		if (queued == Fault.RESET_MID_BODY) {
			this.context.counters().countInjectedFault(Target.RAW, queued);
			return route(exchange).cutShort();
		}
		return route(exchange);
	}

	private Reply route(HttpExchange exchange) {
		String path = exchange.getRequestURI().getRawPath();
		if (path.startsWith("/_redirect/")) {
			String[] hopsAndRest = path.substring("/_redirect/".length()).split("/", 2);
			int hops = Integer.parseInt(hopsAndRest[0]);
			String rest = (hopsAndRest.length > 1) ? hopsAndRest[1] : "";
			String location = (hops <= 1) ? "/" + rest : "/_redirect/" + (hops - 1) + "/" + rest;
			return Reply.empty(302).header("location", location);
		}
		if (path.startsWith("/_redirect-away/")) {
			return Reply.empty(302)
				.header("location", "http://" + path.substring("/_redirect-away/".length()) + "/elsewhere");
		}
		String method = exchange.getRequestMethod();
		Optional<List<String>> segments = Http.segments(exchange.getRequestURI().getRawPath());
		if (!(method.equals("GET") || method.equals("HEAD")) || segments.isEmpty()) {
			return notFound();
		}
		return find(segments.get()).map((file) -> serve(exchange, file)).orElseGet(RawHandler::notFound);
	}

	private record RawFile(SimFile file, String blobSha) {
	}

	private Optional<RawFile> find(List<String> segments) {
		boolean pinned = segments.size() == 5;
		if (!(pinned || segments.size() == 4) || !segments.get(2).equals("raw")) {
			return Optional.empty();
		}
		String filename = segments.get(segments.size() - 1);
		return this.context.users().byLogin(segments.get(0)).flatMap((owner) -> {
			OptionalInt index = owner.indexOf(segments.get(1));
			if (index.isEmpty()) {
				return Optional.empty();
			}
			StoredGist gist = owner.gist(index.getAsInt());
			return gist.fileIndex(filename)
				.map((fileIndex) -> new RawFile(gist.gist().files().get(fileIndex), gist.blobShas().get(fileIndex)))
				.filter((file) -> !pinned || file.blobSha().equals(segments.get(3)));
		});
	}

	private Reply serve(HttpExchange exchange, RawFile raw) {
		if (raw.file().size() > RAW_LIMIT) {
			return Reply.text(403, "403: Forbidden");
		}
		String etag = "\"" + raw.blobSha() + "\"";
		Reply reply = Http.matchesIfNoneMatch(exchange.getRequestHeaders().getFirst("If-None-Match"), etag)
				? Reply.empty(304) : Reply.bytes(200, raw.file().content());
		return reply.header("etag", etag)
			.header("cache-control", "max-age=300")
			.header("x-content-type-options", "nosniff")
			.header("access-control-allow-origin", "*");
	}

	private static void chunked(HttpExchange exchange, long bytes) throws IOException {
		exchange.getResponseHeaders().set("server", "github-sim");
		exchange.sendResponseHeaders(200, 0);
		byte[] chunk = new byte[8192];
		Arrays.fill(chunk, (byte) 'x');
		try (OutputStream out = exchange.getResponseBody()) {
			for (long left = bytes; left > 0; left -= chunk.length) {
				out.write(chunk, 0, (int) Math.min(left, chunk.length));
			}
		}
		catch (IOException ex) {
			// The client stopped reading: as intended when it caps the body.
		}
	}

	private static Reply notFound() {
		return Reply.text(404, "404: Not Found");
	}

}
