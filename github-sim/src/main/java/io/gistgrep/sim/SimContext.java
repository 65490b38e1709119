package io.gistgrep.sim;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;

/**
 * What the handlers of both listeners share.
 */
record SimContext(UserDirectory users, RateLimiter rateLimiter, FaultInjector faults, SimCounters counters,
		String apiUrl, String rawUrl, @Nullable String configuredRawUrl, int rawPort, RawThrottle rawThrottle,
		SecondaryTriggers secondaryTriggers, boolean requireUserAgent) {

	BaseUrls baseUrls(HttpExchange exchange) {
		return BaseUrls.of(exchange, this.apiUrl, this.rawUrl, this.configuredRawUrl, this.rawPort);
	}

}
