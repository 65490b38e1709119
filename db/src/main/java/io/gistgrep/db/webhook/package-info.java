@NullMarked
package io.gistgrep.db.webhook;

import org.jspecify.annotations.NullMarked;
