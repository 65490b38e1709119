@NullMarked
package io.gistgrep.db.outbox;

import org.jspecify.annotations.NullMarked;
