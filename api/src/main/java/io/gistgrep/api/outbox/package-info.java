@NullMarked
package io.gistgrep.api.outbox;

import org.jspecify.annotations.NullMarked;
