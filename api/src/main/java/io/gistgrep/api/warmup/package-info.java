/**
 * The api's warm-up at start-up, before it reports ready: a submission and a poll
 * rehearsed on made-up data and rolled back, and a round trip of start tasks through the
 * broker, so that the first job after a start does not pay for the code that runs for the
 * first time.
 */
@NullMarked
package io.gistgrep.api.warmup;

import org.jspecify.annotations.NullMarked;
