@NullMarked
package io.gistgrep.api.legacy;

import org.jspecify.annotations.NullMarked;
