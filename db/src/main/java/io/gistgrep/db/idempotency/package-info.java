@NullMarked
package io.gistgrep.db.idempotency;

import org.jspecify.annotations.NullMarked;
