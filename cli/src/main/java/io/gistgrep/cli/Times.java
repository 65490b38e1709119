package io.gistgrep.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The api's instants (UTC, ISO 8601) in the user's time zone, to the second. */
record Times(ZoneId zone) {

	private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	String local(String instant) {
		try {
			return LOCAL.format(Instant.parse(instant).atZone(this.zone));
		}
		catch (DateTimeParseException ex) {
			return instant;
		}
	}

}
