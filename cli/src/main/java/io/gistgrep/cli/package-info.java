/**
 * The {@code gistgrep} command-line client: one picocli command per verb, run by
 * {@link io.gistgrep.cli.Main}.
 */
@NullMarked
package io.gistgrep.cli;

import org.jspecify.annotations.NullMarked;
