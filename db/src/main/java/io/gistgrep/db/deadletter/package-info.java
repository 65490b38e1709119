/**
 * Dead letters: messages the broker gave up on, kept in PostgreSQL so that someone sees
 * them and can send them back.
 */
@NullMarked
package io.gistgrep.db.deadletter;

import org.jspecify.annotations.NullMarked;
