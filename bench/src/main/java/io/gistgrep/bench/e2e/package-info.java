/**
 * The driver of {@code bench/e2e.sh}: starts github-sim, the api and the workers as
 * {@code java -jar} processes, runs the cases of issue 13 against them from outside (HTTP
 * only), checks every job's result, and writes the results table.
 */
@NullMarked
package io.gistgrep.bench.e2e;

import org.jspecify.annotations.NullMarked;
