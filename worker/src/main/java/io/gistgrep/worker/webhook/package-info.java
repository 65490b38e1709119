@NullMarked
package io.gistgrep.worker.webhook;

import org.jspecify.annotations.NullMarked;
