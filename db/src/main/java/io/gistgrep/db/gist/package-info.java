@NullMarked
package io.gistgrep.db.gist;

import org.jspecify.annotations.NullMarked;
