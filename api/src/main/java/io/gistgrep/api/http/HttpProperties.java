package io.gistgrep.api.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP layer ({@code GISTGREP_HTTP_*}).
 *
 * @param maxRequestBody the largest request body taken; a larger one gets {@code 413}
 */
@ConfigurationProperties("gistgrep.http")
record HttpProperties(@DefaultValue("16KB") DataSize maxRequestBody) {

	HttpProperties {
		if (maxRequestBody.toBytes() < 1) {
			throw new IllegalArgumentException("gistgrep.http.max-request-body must be positive");
		}
	}

}
