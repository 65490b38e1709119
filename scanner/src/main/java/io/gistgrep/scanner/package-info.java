@NullMarked
package io.gistgrep.scanner;

import org.jspecify.annotations.NullMarked;
