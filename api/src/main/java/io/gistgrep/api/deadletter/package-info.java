/**
 * {@code /admin/dead-letters}: the messages the broker gave up on, as the worker stored
 * them, listed and sent back to their queues.
 */
@NullMarked
package io.gistgrep.api.deadletter;

import org.jspecify.annotations.NullMarked;
