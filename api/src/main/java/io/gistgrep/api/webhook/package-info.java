@NullMarked
package io.gistgrep.api.webhook;

import org.jspecify.annotations.NullMarked;
