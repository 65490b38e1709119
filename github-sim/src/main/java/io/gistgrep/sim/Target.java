package io.gistgrep.sim;

/**
 * Where {@link GitHubSim#failNext(Target, Fault, int)} injects a fault: the API, the raw
 * content host, or the git repositories behind {@code git_pull_url}.
 */
public enum Target {

	API, RAW, GIT

}
