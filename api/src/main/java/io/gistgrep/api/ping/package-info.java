@NullMarked
package io.gistgrep.api.ping;

import org.jspecify.annotations.NullMarked;
