package io.gistgrep.api.auth;

/**
 * The tenant of the API key a request came with. A controller method that declares a
 * parameter of this type gets it (it is never a request parameter); everything a tenant
 * creates or reads is scoped to it.
 */
public record Tenant(String name) {

	static final String ATTRIBUTE = Tenant.class.getName();

}
