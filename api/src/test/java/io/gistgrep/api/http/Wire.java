package io.gistgrep.api.http;

import io.gistgrep.api.RunningApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over a plain socket, for requests that well-behaved clients refuse to send:
 * broken percent-encoding, odd methods, wrong or missing content types, chunked bodies.
 * Every request of the http tests goes through {@link #send}, so that a header every
 * request needs (an API key) is added in one place: {@link #COMMON_HEADERS}.
 */
final class Wire {

	/** Sent with every request (after the request's own headers). */
	static final Map<String, String> COMMON_HEADERS = Map.of("Authorization", RunningApi.BEARER);

	private final int port;

	Wire(int port) {
		this.port = port;
	}

	/** One request as it goes on the wire. */
	record Request(String method, String target, Map<String, String> headers, byte @Nullable [] body, boolean chunked) {

		static Request get(String target) {
			return new Request("GET", target, Map.of(), null, false);
		}

		static Request post(String target, String contentType, String body) {
			return new Request("POST", target, Map.of("Content-Type", contentType),
					body.getBytes(StandardCharsets.UTF_8), false);
		}

		Request with(String name, String value) {
			Map<String, String> headers = new LinkedHashMap<>(this.headers);
			headers.put(name, value);
			return new Request(this.method, this.target, headers, this.body, this.chunked);
		}

		Request asChunked() {
			return new Request(this.method, this.target, this.headers, this.body, true);
		}

		@Override
		public String toString() {
			String shown = (this.body != null) ? new String(this.body, StandardCharsets.UTF_8) : "";
			return this.method + " " + this.target + " " + this.headers + (this.chunked ? " chunked " : " ")
					+ ((shown.length() > 300) ? shown.substring(0, 300) + "… (" + shown.length() + " chars)" : shown);
		}

	}

	/** An answer: its status, headers (names in lower case) and body. */
	record Answer(int status, Map<String, List<String>> headers, String body) {

		Optional<String> header(String name) {
			List<String> values = this.headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
			return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
		}

		String contentType() {
			return header("Content-Type").orElse("");
		}

	}

	Answer send(Request request) {
		StringBuilder head = new StringBuilder(request.method() + " " + request.target() + " HTTP/1.1\r\n");
		Map<String, String> headers = new LinkedHashMap<>(request.headers());
		headers.putAll(COMMON_HEADERS);
		headers.put("Host", "127.0.0.1:" + this.port);
		headers.put("Connection", "close");
		if (request.body() != null) {
			headers.put(request.chunked() ? "Transfer-Encoding" : "Content-Length",
					request.chunked() ? "chunked" : String.valueOf(request.body().length));
		}
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		head.append("\r\n");
		return exchange(head.toString().getBytes(StandardCharsets.UTF_8), request.body(), request.chunked());
	}

	/**
	 * Sends bytes exactly as given (a malformed request line, say) and reads the answer.
	 */
	Answer sendRaw(String bytes) {
		return exchange(bytes.getBytes(StandardCharsets.ISO_8859_1), null, false);
	}

	private Answer exchange(byte[] head, byte @Nullable [] body, boolean chunked) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5_000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			try {
				out.write(head);
				if (body != null) {
					writeBody(out, body, chunked);
				}
				out.flush();
			}
			catch (IOException ex) {
				// The server may answer (and close) before it has read the whole body.
			}
			return parse(socket.getInputStream().readAllBytes());
		}
		catch (IOException ex) {
			throw new IllegalStateException("No answer from the api", ex);
		}
	}

	private static void writeBody(OutputStream out, byte[] body, boolean chunked) throws IOException {
		if (!chunked) {
			out.write(body);
			return;
		}
		for (int from = 0; from < body.length; from += 1024) {
			int length = Math.min(1024, body.length - from);
			out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(body, from, length);
			out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
	}

	private static Answer parse(byte[] raw) {
		String text = new String(raw, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		if (end < 0) {
			throw new IllegalStateException("Not an HTTP answer: '" + text + "'");
		}
		String[] lines = text.substring(0, end).split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			headers
				.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
						(k) -> new ArrayList<>())
				.add(lines[i].substring(colon + 1).strip());
		}
		byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
		if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
			body = unchunk(body);
		}
		return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] unchunk(byte[] body) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		InputStream in = new java.io.ByteArrayInputStream(body);
		try {
			while (true) {
				StringBuilder size = new StringBuilder();
				for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
					if (c != '\r') {
						size.append((char) c);
					}
				}
				int length = Integer.parseInt(size.toString().split(";")[0].strip(), 16);
				if (length == 0) {
					return out.toByteArray();
				}
				out.write(in.readNBytes(length));
				in.skipNBytes(2);
			}
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("Malformed chunked answer", ex);
		}
	}

}
