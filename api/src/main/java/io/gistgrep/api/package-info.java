@NullMarked
package io.gistgrep.api;

import org.jspecify.annotations.NullMarked;
