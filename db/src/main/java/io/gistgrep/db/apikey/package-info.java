@NullMarked
package io.gistgrep.db.apikey;

import org.jspecify.annotations.NullMarked;
