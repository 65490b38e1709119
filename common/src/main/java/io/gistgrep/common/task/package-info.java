@NullMarked
package io.gistgrep.common.task;

import org.jspecify.annotations.NullMarked;
