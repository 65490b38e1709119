package io.gistgrep.worker.github;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the worker talks to GitHub ({@code GISTGREP_GITHUB_*}).
 *
 * @param apiUrl the REST API's base URL
 * @param tokens tokens to authenticate with; empty means unauthenticated (60
 * requests/hour)
 * @param rawHosts hosts that {@code raw_url}s may point at; the API URL's host is always
 * allowed too
 * @param maxRawFileSize files larger than this are not fetched from {@code raw_url}
 */
@ConfigurationProperties("gistgrep.github")
public record GitHubProperties(@DefaultValue("https://api.github.com") URI apiUrl, @DefaultValue List<String> tokens,
		@DefaultValue("gist.githubusercontent.com") List<String> rawHosts,
		@DefaultValue("gistgrep/0.1 (+https://gistgrep.dev)") String userAgent,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration readTimeout,
		@DefaultValue("10MB") DataSize maxRawFileSize) {

	public GitHubProperties {
		tokens = tokens.stream().map(String::strip).filter((t) -> !t.isEmpty()).toList();
		rawHosts = rawHosts.stream().map(String::strip).filter((h) -> !h.isEmpty()).toList();
	}

}
