@NullMarked
package io.gistgrep.worker.github;

import org.jspecify.annotations.NullMarked;
