package io.gistgrep.scanner;

/** A pattern that cannot be searched for; the message says why, for the client. */
public final class InvalidPatternException extends IllegalArgumentException {

	InvalidPatternException(String message) {
		super(message);
	}

}
