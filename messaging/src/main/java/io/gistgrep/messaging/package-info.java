@NullMarked
package io.gistgrep.messaging;

import org.jspecify.annotations.NullMarked;
