package io.gistgrep.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A response about to be sent: status, headers in lower case, and an optional body.
 */
final class Reply {

	static final String JSON = "application/json; charset=utf-8";

	static final String TEXT = "text/plain; charset=utf-8";

	private final int status;

	private final Map<String, String> headers = new LinkedHashMap<>();

	private final byte @Nullable [] body;

	private boolean cutShort;

	private Reply(int status, byte @Nullable [] body) {
		this.status = status;
		this.body = body;
	}

	static Reply json(int status, JsonNode body) {
		return new Reply(status, Json.write(body)).header("content-type", JSON);
	}

	static Reply text(int status, String body) {
		return bytes(status, body.getBytes(StandardCharsets.UTF_8));
	}

	static Reply bytes(int status, byte[] body) {
		return new Reply(status, body).header("content-type", TEXT);
	}

	static Reply empty(int status) {
		return new Reply(status, null);
	}

	Reply header(String name, String value) {
		this.headers.put(name, value);
		return this;
	}

	/**
	 * Sends only half of the body, then closes the connection, as
	 * {@link Fault#RESET_MID_BODY} asks.
	 */
	Reply cutShort() {
		this.cutShort = true;
		return this;
	}

	int status() {
		return this.status;
	}

	byte @Nullable [] body() {
		return this.body;
	}

	@Nullable String header(String name) {
		return this.headers.get(name);
	}

	void send(HttpExchange exchange) throws IOException {
		exchange.getResponseHeaders().set("server", "github-sim");
		this.headers.forEach(exchange.getResponseHeaders()::set);
		byte[] body = this.body;
		if (this.cutShort) {
			sendCutShort(exchange, (body != null) ? body : new byte[0]);
			return;
		}
		boolean head = "HEAD".equals(exchange.getRequestMethod());
		if (body == null || body.length == 0 || head) {
			if (body != null && head) {
				exchange.getResponseHeaders().set("content-length", Integer.toString(body.length));
			}
			exchange.sendResponseHeaders(this.status, -1);
			return;
		}
		exchange.sendResponseHeaders(this.status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	/**
	 * Announces the whole body (at least 1 KiB) and sends half of it. Closing the
	 * exchange itself (not its body stream first) with bytes missing makes the JDK's
	 * server drop the connection, so the client reads an early end of stream instead of
	 * waiting.
	 */
	private void sendCutShort(HttpExchange exchange, byte[] body) {
		try {
			exchange.sendResponseHeaders(this.status, Math.max(body.length, 1024));
			OutputStream out = exchange.getResponseBody();
			out.write(body, 0, body.length / 2);
			out.flush();
		}
		catch (IOException ex) {
			// The client went away first: nothing left to cut.
		}
		exchange.close();
	}

}
