@NullMarked
package io.gistgrep.worker.messaging;

import org.jspecify.annotations.NullMarked;
