/**
 * Redis as the worker uses it: caches and the shared GitHub budgets, neither of which may
 * fail a task when Redis is away.
 */
@NullMarked
package io.gistgrep.worker.redis;

import org.jspecify.annotations.NullMarked;
