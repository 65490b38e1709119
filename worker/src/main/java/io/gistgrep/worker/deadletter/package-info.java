/**
 * The consumer of the dead-letter queue: every letter is copied into PostgreSQL, where
 * the api lists and re-drives it, and counted for a gauge and a health detail.
 */
@NullMarked
package io.gistgrep.worker.deadletter;

import org.jspecify.annotations.NullMarked;
