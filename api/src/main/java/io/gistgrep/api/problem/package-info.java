@NullMarked
package io.gistgrep.api.problem;

import org.jspecify.annotations.NullMarked;
