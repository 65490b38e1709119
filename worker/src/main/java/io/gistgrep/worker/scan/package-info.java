@NullMarked
package io.gistgrep.worker.scan;

import org.jspecify.annotations.NullMarked;
