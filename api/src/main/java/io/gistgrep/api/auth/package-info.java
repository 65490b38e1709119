/**
 * Who is calling: API keys (a bearer token, resolved to a tenant by
 * {@link io.gistgrep.api.auth.ApiKeyFilter}), the admin endpoint that manages them, and
 * the {@link io.gistgrep.api.auth.Tenant} every job belongs to.
 */
@NullMarked
package io.gistgrep.api.auth;

import org.jspecify.annotations.NullMarked;
