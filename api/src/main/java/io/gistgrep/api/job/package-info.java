@NullMarked
package io.gistgrep.api.job;

import org.jspecify.annotations.NullMarked;
