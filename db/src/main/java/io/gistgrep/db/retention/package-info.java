/**
 * What retention needs of the database beyond each table's own purge: the lock that lets
 * one api replica at a time run it.
 */
@NullMarked
package io.gistgrep.db.retention;

import org.jspecify.annotations.NullMarked;
