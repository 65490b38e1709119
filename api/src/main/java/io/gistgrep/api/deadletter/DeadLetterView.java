package io.gistgrep.api.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import io.gistgrep.db.deadletter.DeadLetter;
import org.jspecify.annotations.Nullable;

/**
 * A dead letter as listed: where it died and why, and the start of its body, enough to
 * recognise it without shipping megabytes.
 *
 * @param payload the first {@value #SUMMARY} characters of the body as UTF-8, or of its
 * base64 when it is not UTF-8
 * @param payloadEncoding {@code utf-8} or {@code base64}
 * @param payloadBytes the size of the whole body
 * @param count how many times the broker dead-lettered it from {@code queue}
 */
record DeadLetterView(long id, String queue, String routingKey, String reason, long count, String payload,
		String payloadEncoding, int payloadBytes, @Nullable String contentType, String headers, Instant firstDeadAt,
		Instant lastDeadAt, Instant storedAt, @Nullable Instant redrivenAt) {

	static final int SUMMARY = 200;

	static DeadLetterView of(DeadLetter letter) {
		String text;
		String encoding;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(letter.payload()))
				.toString();
			encoding = "utf-8";
		}
		catch (CharacterCodingException ex) {
			text = Base64.getEncoder().encodeToString(letter.payload());
			encoding = "base64";
		}
		String summary = (text.length() > SUMMARY) ? text.substring(0, SUMMARY) + "…" : text;
		return new DeadLetterView(letter.id(), letter.queue(), letter.routingKey(), letter.reason(),
				letter.deathCount(), summary, encoding, letter.payload().length, letter.contentType(), letter.headers(),
				letter.firstDeadAt(), letter.lastDeadAt(), letter.storedAt(), letter.redrivenAt());
	}

}
