/**
 * An imitation of GitHub's gist REST API and of its raw content host, started in-process
 * through {@link io.gistgrep.sim.GitHubSim} or from the command line through
 * {@link io.gistgrep.sim.Main}.
 */
@NullMarked
package io.gistgrep.sim;

import org.jspecify.annotations.NullMarked;
