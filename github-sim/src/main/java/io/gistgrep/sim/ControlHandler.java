package io.gistgrep.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Uncounted endpoints for demos and benchmarks: {@code GET /_sim/counters},
 * {@code POST /_sim/reset-counters}, {@code POST /_sim/revoke-token?token=…},
 * {@code POST /_sim/secondary-limit?seconds=…&retry-after=…} (no {@code seconds}: for
 * ever; {@code seconds=0}: lifted) and {@code GET /_sim/health}.
 */
final class ControlHandler implements HttpHandler {

	private final SimCounters counters;

	private final RateLimiter rateLimiter;

	private final FaultInjector faults;

	ControlHandler(SimCounters counters, RateLimiter rateLimiter, FaultInjector faults) {
		this.counters = counters;
		this.rateLimiter = rateLimiter;
		this.faults = faults;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
			String path = exchange.getRequestURI().getPath();
			String method = exchange.getRequestMethod();
			Reply reply;
			if (path.equals("/_sim/counters") && method.equals("GET")) {
				reply = json(this.counters.snapshot());
			}
			else if (path.equals("/_sim/reset-counters") && method.equals("POST")) {
				this.counters.reset();
				reply = Reply.empty(204);
			}
			else if (path.equals("/_sim/revoke-token") && method.equals("POST")
					&& Http.query(exchange.getRequestURI().getRawQuery()).get("token") instanceof String token) {
				this.rateLimiter.revoke(token);
				reply = Reply.empty(204);
			}
			else if (path.equals("/_sim/secondary-limit") && method.equals("POST")) {
				Map<String, String> query = Http.query(exchange.getRequestURI().getRawQuery());
				try {
					String seconds = query.get("seconds");
					String retryAfter = query.get("retry-after");
					this.faults.secondaryLimit((seconds != null) ? Duration.ofSeconds(Long.parseLong(seconds)) : null,
							(retryAfter != null) ? Long.valueOf(retryAfter) : null);
					reply = Reply.empty(204);
				}
				catch (NumberFormatException ex) {
					reply = Reply.json(400, Json.error("seconds and retry-after must be whole numbers",
							"https://docs.github.com/rest", 400));
				}
			}
			else if (path.equals("/_sim/health") && method.equals("GET")) {
				reply = json(Map.of("status", "UP"));
			}
			else {
				reply = Reply.json(404, Json.error("Not Found", "https://docs.github.com/rest", 404));
			}
			reply.send(exchange);
		}
	}

	private static Reply json(Map<String, ?> body) {
		return Reply.json(200, Json.MAPPER.valueToTree(body));
	}

}
