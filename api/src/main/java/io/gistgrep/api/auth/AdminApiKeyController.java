package io.gistgrep.api.auth;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.problem.Problems;
import io.gistgrep.db.apikey.ApiKey;
import io.gistgrep.db.apikey.ApiKeyRepository;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api-keys}: create a key (shown once), list keys (prefix and metadata,
 * never the key or its hash), revoke one. {@link AdminTokenFilter} guards it.
 */
@RestController
@SecurityRequirement(name = AuthConfiguration.ADMIN_TOKEN)
class AdminApiKeyController {

	private final ApiKeys keys;

	private final ApiKeyRepository repository;

	AdminApiKeyController(ApiKeys keys, ApiKeyRepository repository) {
		this.keys = keys;
		this.repository = repository;
	}

	/** A key as listed. */
	record KeyView(UUID id, String tenant, String name, String prefix, Instant createdAt, @Nullable Instant revokedAt) {

		static KeyView of(ApiKey key) {
			return new KeyView(key.id(), key.tenant(), key.name(), key.prefix(), key.createdAt(), key.revokedAt());
		}

	}

	/** A key just made: the one answer that carries it. */
	record CreatedView(UUID id, String tenant, String name, String prefix, Instant createdAt, String key) {

	}

	@PostMapping(path = "/admin/api-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<CreatedView> create(@RequestBody JsonNode body) {
		String tenant = text(body, "tenant", true);
		if (!ApiKeys.validTenant(tenant)) {
			throw invalid("tenant must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit,"
					+ " and not 'anonymous' (reserved for keyless legacy calls).");
		}
		String name = text(body, "name", false);
		if (name.length() > 200) {
			throw invalid("name must be at most 200 characters long.");
		}
		ApiKeys.Created created = this.keys.create(tenant, name);
		ApiKey key = created.key();
		return ResponseEntity.created(URI.create("/admin/api-keys/" + key.id()))
			.body(new CreatedView(key.id(), key.tenant(), key.name(), key.prefix(), key.createdAt(), created.secret()));
	}

	@GetMapping("/admin/api-keys")
	Map<String, List<KeyView>> list() {
		return Map.of("data", this.repository.list().stream().map(KeyView::of).toList());
	}

	@DeleteMapping("/admin/api-keys/{id}")
	ResponseEntity<Void> revoke(@PathVariable String id) {
		UUID uuid;
		try {
			uuid = UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw notFound(id);
		}
		if (!this.repository.revoke(uuid) && this.repository.find(uuid).isEmpty()) {
			throw notFound(id);
		}
		return ResponseEntity.noContent().build();
	}

	private static String text(JsonNode body, String field, boolean required) {
		JsonNode node = body.get(field);
		if (node == null || node.isNull()) {
			if (required) {
				throw invalid(field + " is required.");
			}
			return "";
		}
		if (!node.isString()) {
			throw invalid(field + " must be a string.");
		}
		return node.asString();
	}

	private static ErrorResponseException invalid(String detail) {
		return Problems.badRequest("invalid-api-key-request", "Invalid API key request", detail);
	}

	private static ErrorResponseException notFound(String id) {
		return Problems.of(HttpStatus.NOT_FOUND, "api-key-not-found", "API key not found",
				"There is no API key " + id + ".");
	}

}
