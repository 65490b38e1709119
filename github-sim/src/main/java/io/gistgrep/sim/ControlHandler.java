package io.gistgrep.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Uncounted endpoints for demos and benchmarks: {@code GET /_sim/counters},
 * {@code POST /_sim/reset-counters}, {@code POST /_sim/revoke-token?token=…} and
 * {@code GET /_sim/health}.
 */
final class ControlHandler implements HttpHandler {

	private final SimCounters counters;

	private final RateLimiter rateLimiter;

	ControlHandler(SimCounters counters, RateLimiter rateLimiter) {
		this.counters = counters;
		this.rateLimiter = rateLimiter;
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
