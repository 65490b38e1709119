@NullMarked
package io.gistgrep.api.retention;

import org.jspecify.annotations.NullMarked;
