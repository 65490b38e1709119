package io.gistgrep.worker.github;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads GitHub's {@code Link} header (RFC 8288). Pages are followed by the URLs GitHub
 * gives, never built by hand: GitHub's next links point at {@code /user/<id>/gists}, not
 * at the URL first called.
 */
final class LinkHeader {

	private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]+)*)");

	private static final Pattern REL = Pattern.compile("rel\\s*=\\s*\"?([^\";]+)\"?");

	private LinkHeader() {
	}

	/** The URL of the link whose {@code rel} includes {@code relation}. */
	static Optional<String> find(String header, String relation) {
		Matcher link = LINK.matcher(header);
		while (link.find()) {
			Matcher rel = REL.matcher(link.group(2));
			if (rel.find()) {
				for (String value : rel.group(1).trim().split("\\s+")) {
					if (value.equals(relation)) {
						return Optional.of(link.group(1));
					}
				}
			}
		}
		return Optional.empty();
	}

}
