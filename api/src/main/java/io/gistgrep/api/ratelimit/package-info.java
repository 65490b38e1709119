/**
 * Rate limits per tenant (and, for keyless legacy calls, per client address), held in
 * Redis token buckets so that they hold across every api replica; the
 * {@code RateLimit-Policy} and {@code RateLimit} headers; {@code 429} when a limit is
 * hit.
 */
@NullMarked
package io.gistgrep.api.ratelimit;

import org.jspecify.annotations.NullMarked;
