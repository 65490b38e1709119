/**
 * The client's side of the HTTP contract: requests to the api, its problem documents as
 * exceptions, and an unreachable server as one of its own.
 */
@NullMarked
package io.gistgrep.cli.client;

import org.jspecify.annotations.NullMarked;
