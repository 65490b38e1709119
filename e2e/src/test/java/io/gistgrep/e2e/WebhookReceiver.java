package io.gistgrep.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;

import com.sun.net.httpserver.HttpServer;

/**
 * A local webhook receiver that answers each request with a chosen status and keeps what
 * it got.
 */
final class WebhookReceiver implements AutoCloseable {

	record Received(Map<String, List<String>> headers, String body) {

		String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT)).getFirst();
		}

	}

	private final HttpServer server;

	final List<Received> received = new CopyOnWriteArrayList<>();

	/**
	 * @param status the status to answer, by 1-based request number
	 */
	WebhookReceiver(IntUnaryOperator status) {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/hook", (exchange) -> {
			Map<String, List<String>> headers = new TreeMap<>();
			exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.received.add(new Received(headers, body));
			exchange.sendResponseHeaders(status.applyAsInt(this.received.size()), -1);
			exchange.close();
		});
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hook";
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
