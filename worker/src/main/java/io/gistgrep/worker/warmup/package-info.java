/**
 * The worker's warm-up at start-up, before its listeners take any task: a rehearsed job
 * against a loopback stand-in of GitHub (rolled back), the scanner's hot paths, the
 * message converter, the JDBC read path, a round trip of tasks through the broker and the
 * Redis pool, exercised on made-up data so that the first job after a start is not
 * several times slower than the next.
 */
@NullMarked
package io.gistgrep.worker.warmup;

import org.jspecify.annotations.NullMarked;
