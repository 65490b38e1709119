package io.gistgrep.db.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a repository method that reads or changes a job by its id alone, whatever its
 * tenant: for the worker (and other internal steps), which act on the id in a message.
 * Nothing that answers a client may call one; what does takes a {@link JobKey}. A test of
 * the api module ({@code TenantScopedQueriesTests}) checks its classes for calls to
 * these.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WorkerOnly {

}
