/**
 * The stuck-job reaper: finds the jobs that will not end by themselves (a lost message, a
 * lost count) and repairs them, or fails them as {@code stalled}.
 */
@NullMarked
package io.gistgrep.worker.reaper;

import org.jspecify.annotations.NullMarked;
