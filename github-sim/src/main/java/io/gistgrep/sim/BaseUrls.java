package io.gistgrep.sim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;

/**
 * The API and content base URLs to write into one response. The content listener serves
 * raw files and, under {@code /git/}, the gists' git repositories. They follow the host
 * the client used, so that links work whether the simulator is reached as
 * {@code 127.0.0.1} or by a container name, unless a content base URL was configured or
 * follows from the content listener's address.
 */
record BaseUrls(String api, String raw) {

	private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

	/**
	 * The base of {@code git_pull_url}s: the content listener, as {@code gist.github.com}
	 * is not the API's host.
	 */
	String git() {
		return this.raw;
	}

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
