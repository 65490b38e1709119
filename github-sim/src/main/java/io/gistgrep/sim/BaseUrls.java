package io.gistgrep.sim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;

/**
 * The API and raw base URLs to write into one response. They follow the host the client
 * used, so that links work whether the simulator is reached as {@code 127.0.0.1} or by a
 * container name, unless a raw base URL was configured.
 */
record BaseUrls(String api, String raw) {

	private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

	static BaseUrls of(HttpExchange exchange, String defaultApiUrl, String defaultRawUrl,
			@Nullable String configuredRawUrl, int rawPort) {
		String host = exchange.getRequestHeaders().getFirst("Host");
		Matcher matcher = (host != null) ? HOST.matcher(host) : null;
		if (matcher == null || !matcher.matches()) {
			return new BaseUrls(defaultApiUrl, (configuredRawUrl != null) ? configuredRawUrl : defaultRawUrl);
		}
		String raw = (configuredRawUrl != null) ? configuredRawUrl : "http://" + matcher.group(1) + ":" + rawPort;
		return new BaseUrls("http://" + host, raw);
	}

}
