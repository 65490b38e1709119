@NullMarked
package io.gistgrep.db.job;

import org.jspecify.annotations.NullMarked;
