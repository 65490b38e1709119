package io.gistgrep.api.auth;

/**
 * The tenant of the API key a request came with. A controller method that declares a
 * parameter of this type gets it (it is never a request parameter); everything a tenant
 * creates or reads is scoped to it.
 */
public record Tenant(String name) {

	/** The request attribute {@link ApiKeyFilter} puts the tenant in. */
	public static final String ATTRIBUTE = Tenant.class.getName();

	/**
	 * Set (to {@code true}) on a keyless legacy call that
	 * {@code GISTGREP_LEGACY_ANONYMOUS} let in, under the tenant {@link #ANONYMOUS}.
	 */
	public static final String ANONYMOUS_ATTRIBUTE = ATTRIBUTE + ".anonymous";

	/** The tenant of keyless legacy calls. */
	public static final Tenant ANONYMOUS = new Tenant("anonymous");

}
