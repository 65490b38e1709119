package io.gistgrep.sim;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads users from the fixture format:
 *
 * <pre>
 * {"users": [{"login": "justdionysus", "id": 1234567,
 *   "gists": [{"id": "6b2972aa971dd605f524", "description": "...",
 *              "created_at": "2015-03-01T10:00:00Z", "updated_at": "2015-03-02T10:00:00Z",
 *              "files": [{"filename": "challenge.txt", "language": "Text", "content": "..."},
 *                        {"filename": "blob.bin", "content_base64": "AAEC"},
 *                        {"filename": "big.txt", "repeat": {"text": "lorem ipsum\n", "bytes": 1500000},
 *                         "append": "TerbiumLabsChallenge_42\n"}]}]}]}
 * </pre>
 *
 * A file without {@code language} or {@code type} gets those GitHub would guess from its
 * extension; an explicit {@code "language": null} stays null. {@code updated_at} defaults
 * to {@code created_at}.
 */
final class Fixtures {

	private Fixtures() {
	}

	static List<SimUser> read(InputStream input, String source) {
		JsonNode root;
		try {
			root = Json.MAPPER.readTree(input);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Fixture " + source + " is not valid JSON: " + ex.getOriginalMessage(),
					ex);
		}
		JsonNode users = root.path("users");
		if (!users.isArray()) {
			throw new IllegalArgumentException("Fixture " + source + " has no \"users\" array");
		}
		List<SimUser> result = new ArrayList<>();
		for (JsonNode user : users) {
			String login = required(user, "login", source).asString();
			try {
				result.add(user(user, login));
			}
			catch (IllegalArgumentException | DateTimeParseException ex) {
				throw new IllegalArgumentException("Fixture " + source + ", user " + login + ": " + ex.getMessage(),
						ex);
			}
		}
		return result;
	}

	private static SimUser user(JsonNode user, String login) {
		long id = required(user, "id", login).asLong();
		List<SimGist> gists = new ArrayList<>();
		for (JsonNode gist : user.path("gists")) {
			gists.add(gist(gist));
		}
		return new SimUser(login, id, gists);
	}

	private static SimGist gist(JsonNode gist) {
		String id = required(gist, "id", "gist").asString();
		Instant createdAt = Instant.parse(required(gist, "created_at", "gist " + id).asString());
		JsonNode updated = gist.path("updated_at");
		Instant updatedAt = updated.isString() ? Instant.parse(updated.asString()) : createdAt;
		JsonNode description = gist.path("description");
		List<SimFile> files = new ArrayList<>();
		for (JsonNode file : gist.path("files")) {
			files.add(file(file, id));
		}
		return new SimGist(id, description.isString() ? description.asString() : null, createdAt, updatedAt, files);
	}

	private static SimFile file(JsonNode file, String gistId) {
		String filename = required(file, "filename", "a file of gist " + gistId).asString();
		byte[] content = content(file, filename);
		FileKinds.FileKind guessed = FileKinds.forFilename(filename);
		JsonNode language = file.path("language");
		String resolvedLanguage = language.isMissingNode() ? guessed.language()
				: (language.isNull() ? null : language.asString());
		JsonNode type = file.path("type");
		return new SimFile(filename, content, resolvedLanguage, type.isString() ? type.asString() : guessed.type());
	}

	private static byte[] content(JsonNode file, String filename) {
		ByteArrayOutputStream content = new ByteArrayOutputStream();
		if (file.hasNonNull("content")) {
			content.writeBytes(file.get("content").asString().getBytes(StandardCharsets.UTF_8));
		}
		else if (file.hasNonNull("content_base64")) {
			content.writeBytes(Base64.getMimeDecoder().decode(file.get("content_base64").asString()));
		}
		else if (file.hasNonNull("repeat")) {
			JsonNode repeat = file.get("repeat");
			byte[] text = required(repeat, "text", filename).asString().getBytes(StandardCharsets.UTF_8);
			int bytes = required(repeat, "bytes", filename).asInt();
			if (text.length == 0 || bytes < 0) {
				throw new IllegalArgumentException(
						"File " + filename + " repeats an empty text or asks for a negative size");
			}
			for (int written = 0; written < bytes; written += text.length) {
				content.write(text, 0, Math.min(text.length, bytes - written));
			}
		}
		else {
			throw new IllegalArgumentException(
					"File " + filename + " needs \"content\", \"content_base64\" or \"repeat\"");
		}
		if (file.hasNonNull("append")) {
			content.writeBytes(file.get("append").asString().getBytes(StandardCharsets.UTF_8));
		}
		return content.toByteArray();
	}

	private static JsonNode required(JsonNode node, String field, String where) {
		JsonNode value = node.path(field);
		if (value.isMissingNode() || value.isNull()) {
			throw new IllegalArgumentException("Missing \"" + field + "\" in " + where);
		}
		return value;
	}

}
