@NullMarked
package io.gistgrep.common.messaging;

import org.jspecify.annotations.NullMarked;
