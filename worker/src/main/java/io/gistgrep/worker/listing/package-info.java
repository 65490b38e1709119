@NullMarked
package io.gistgrep.worker.listing;

import org.jspecify.annotations.NullMarked;
