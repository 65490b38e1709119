@NullMarked
package io.gistgrep.worker;

import org.jspecify.annotations.NullMarked;
