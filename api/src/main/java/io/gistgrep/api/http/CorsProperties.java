package io.gistgrep.api.http;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access ({@code GISTGREP_CORS_ALLOWED_ORIGINS}): off (no CORS headers at
 * all) unless origins are listed.
 *
 * @param allowedOrigins the origins whose browser pages may call the api, e.g.
 * {@code https://app.example.com}; empty turns CORS off
 */
@ConfigurationProperties("gistgrep.cors")
record CorsProperties(@DefaultValue List<String> allowedOrigins) {

	CorsProperties {
		allowedOrigins = allowedOrigins.stream().map(String::strip).filter((origin) -> !origin.isEmpty()).toList();
		if (allowedOrigins.contains("*")) {
			throw new IllegalArgumentException(
					"gistgrep.cors.allowed-origins lists origins; '*' would let every web page call the api");
		}
	}

	boolean enabled() {
		return !this.allowedOrigins.isEmpty();
	}

}
