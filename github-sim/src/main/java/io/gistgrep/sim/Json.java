package io.gistgrep.sim;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one JSON mapper of the simulator and the error bodies GitHub sends.
 */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Json() {
	}

	static byte[] write(JsonNode node) {
		return MAPPER.writeValueAsBytes(node);
	}

	static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	/**
	 * GitHub's error body, as in {@code {"message":"Not Found","documentation_url":...,
	 * "status":"404"}}.
	 */
	static ObjectNode error(String message, String documentationUrl, int status) {
		ObjectNode error = object();
		error.put("message", message);
		error.put("documentation_url", documentationUrl);
		error.put("status", Integer.toString(status));
		return error;
	}

}
