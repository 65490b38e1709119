package io.gistgrep.messaging;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scheduled runs of a class so marked are not observed (no trace, no
 * {@code tasks.scheduled.execution} timer): frequent housekeeping (a poll every second, a
 * gauge refreshed every 10 s) whose every run would export a trace of its own. The work a
 * run starts that matters is traced where it happens ({@link OutboxTrace}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Untraced {

}
