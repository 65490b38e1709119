/**
 * What the client prints: matches grep-style or as JSON, and the live progress bar.
 */
@NullMarked
package io.gistgrep.cli.output;

import org.jspecify.annotations.NullMarked;
