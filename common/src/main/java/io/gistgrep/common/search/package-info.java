@NullMarked
package io.gistgrep.common.search;

import org.jspecify.annotations.NullMarked;
