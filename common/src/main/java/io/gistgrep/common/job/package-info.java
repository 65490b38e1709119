@NullMarked
package io.gistgrep.common.job;

import org.jspecify.annotations.NullMarked;
