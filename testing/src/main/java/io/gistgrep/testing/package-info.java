@NullMarked
package io.gistgrep.testing;

import org.jspecify.annotations.NullMarked;
