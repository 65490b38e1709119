@NullMarked
package io.gistgrep.common.webhook;

import org.jspecify.annotations.NullMarked;
