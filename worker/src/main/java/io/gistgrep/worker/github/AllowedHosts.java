package io.gistgrep.worker.github;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * The hosts the worker follows GitHub's URLs to: {@code raw_url}s only to the raw hosts,
 * {@code git_pull_url}s only to the git hosts, the API host always; over http(s) only,
 * and never with credentials in the URL. A listing is data from the internet: a URL in it
 * must not send the worker anywhere else.
 */
@Component
class AllowedHosts {

	private final Set<String> raw;

	private final Set<String> git;

	AllowedHosts(GitHubProperties properties) {
		this.raw = withApiHost(properties.rawHosts(), properties);
		this.git = withApiHost(properties.gitHosts(), properties);
	}

	/**
	 * A {@code raw_url} to fetch.
	 * @throws GitHubException.Unavailable when it is not a URL or not on an allowed host
	 */
	URI rawUrl(String rawUrl) {
		return check(rawUrl, this.raw, "invalid-raw-url", "raw-host-not-allowed", "raw_url",
				"GISTGREP_GITHUB_RAW_HOSTS");
	}

	/**
	 * A {@code git_pull_url} to clone or {@code ls-remote}.
	 * @throws GitHubException.Unavailable when it is not a URL or not on an allowed host
	 */
	URI pullUrl(String pullUrl) {
		return check(pullUrl, this.git, "invalid-pull-url", "git-host-not-allowed", "git_pull_url",
				"GISTGREP_GITHUB_GIT_HOSTS");
	}

	private static URI check(String url, Set<String> hosts, String invalid, String notAllowed, String what,
			String setting) {
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			throw new GitHubException.Unavailable(invalid, "Not a URL: " + url);
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : "";
		if (!(scheme.equals("https") || scheme.equals("http")) || !hosts.contains(host) || uri.getUserInfo() != null) {
			throw new GitHubException.Unavailable(notAllowed, what + " host " + host + " is not in " + setting);
		}
		return uri;
	}

	private static Set<String> withApiHost(List<String> hosts, GitHubProperties properties) {
		List<String> allowed = new ArrayList<>(hosts);
		allowed.add(properties.apiUrl().getHost());
		return Set.copyOf(allowed.stream().map((host) -> host.toLowerCase(Locale.ROOT)).toList());
	}

}
