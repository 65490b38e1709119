package io.gistgrep.db.gist;

import java.util.Locale;

/** How a gist's scan ended; every listed gist ends in exactly one of these. */
public enum GistOutcome {

	/** Every file was searched. */
	SCANNED,
	/** At least one file could not be searched (binary, too large, ...). */
	SKIPPED,
	/** The gist could not be fetched, even after retries. */
	FAILED;

	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
