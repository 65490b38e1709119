/**
 * What every HTTP exchange gets before and after the controllers: the request body cap,
 * the check of the query's percent-encoding, security response headers, optional CORS,
 * and {@code application/problem+json} for errors that never reach a controller.
 */
@NullMarked
package io.gistgrep.api.http;

import org.jspecify.annotations.NullMarked;
