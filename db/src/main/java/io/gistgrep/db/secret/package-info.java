/**
 * The key for secrets at rest ({@code GISTGREP_SECRETS_KEY}), the
 * {@link io.gistgrep.common.secret.SecretBox} both apps' repositories encrypt with, and
 * the start-up step that leaves no secret in plain text or under a retired key.
 */
@NullMarked
package io.gistgrep.db.secret;

import org.jspecify.annotations.NullMarked;
