package io.gistgrep.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Uncounted endpoints for demos and benchmarks: {@code GET /_sim/counters},
 * {@code POST /_sim/reset-counters}, {@code POST /_sim/revoke-token?token=…},
 * {@code POST /_sim/secondary-limit?seconds=…&retry-after=…} (no {@code seconds}: for
 * ever; {@code seconds=0}: lifted),
 * {@code POST /_sim/secondary-limit-triggers?max-concurrent=…&max-per-minute=…&penalty-seconds=…&retry-after=…},
 * {@code POST /_sim/raw-throttle?per-second=…&cool-down-ms=…&retry-after=true}
 * ({@code per-second=0}: lifted),
 * {@code POST /_sim/fail-next?target=api|raw|git&fault=status-500|reset-mid-body&times=…},
 * {@code POST /_sim/latency?api-ms=…&raw-ms=…} (a parameter left out keeps its latency;
 * the other faults are kept) and {@code GET /_sim/health}.
 */
final class ControlHandler implements HttpHandler {

	private final SimCounters counters;

	private final RateLimiter rateLimiter;

	private final FaultInjector faults;

	private final SimContext context;

	ControlHandler(SimContext context) {
		this.context = context;
		this.counters = context.counters();
		this.rateLimiter = context.rateLimiter();
		this.faults = context.faults();
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
			else if (method.equals("POST")
					&& (path.equals("/_sim/raw-throttle") || path.equals("/_sim/secondary-limit-triggers")
							|| path.equals("/_sim/fail-next") || path.equals("/_sim/latency"))) {
				reply = configure(path, Http.query(exchange.getRequestURI().getRawQuery()));
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

	private Reply configure(String path, Map<String, String> query) {
		try {
			switch (path) {
				case "/_sim/raw-throttle" -> this.context.rawThrottle()
					.set(number(query, "per-second", 0), Duration.ofMillis(number(query, "cool-down-ms", 0)),
							Boolean.parseBoolean(query.get("retry-after")));
				case "/_sim/secondary-limit-triggers" -> this.context.secondaryTriggers()
					.set(number(query, "max-concurrent", 0), number(query, "max-per-minute", 0),
							Duration.ofSeconds(number(query, "penalty-seconds", 0)), query.containsKey("retry-after")
									? Duration.ofSeconds(number(query, "retry-after", 0)) : null);
				case "/_sim/latency" -> {
					SimFaults current = this.faults.faults();
					this.faults.replace(current
						.withApiLatency(
								Duration.ofMillis(number(query, "api-ms", (int) current.apiLatency().toMillis())))
						.withRawLatency(
								Duration.ofMillis(number(query, "raw-ms", (int) current.rawLatency().toMillis()))));
				}
				default ->
					this.faults.failNext(Target.valueOf(query.getOrDefault("target", "").toUpperCase(Locale.ROOT)),
							Fault.valueOf(query.getOrDefault("fault", "").toUpperCase(Locale.ROOT).replace('-', '_')),
							number(query, "times", 1));
			}
			return Reply.empty(204);
		}
		catch (IllegalArgumentException ex) {
			return Reply.json(400,
					Json.error("Bad control parameters: " + ex.getMessage(), "https://docs.github.com/rest", 400));
		}
	}

	private static int number(Map<String, String> query, String name, int otherwise) {
		String value = query.get(name);
		return (value != null) ? Integer.parseInt(value) : otherwise;
	}

}
