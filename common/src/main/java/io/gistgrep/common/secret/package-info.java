/**
 * Secrets at rest: {@link io.gistgrep.common.secret.SecretBox} encrypts values such as
 * webhook secrets with AES-GCM under the operator's key ({@code GISTGREP_SECRETS_KEY}).
 */
@NullMarked
package io.gistgrep.common.secret;

import org.jspecify.annotations.NullMarked;
