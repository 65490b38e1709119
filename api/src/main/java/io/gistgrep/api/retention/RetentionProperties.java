package io.gistgrep.api.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long results are kept ({@code GISTGREP_RETENTION_*}).
 *
 * @param jobs finished jobs, with their gists, matches and webhook deliveries, are
 * deleted this long after they finished
 * @param idempotencyKeys keys are forgotten after this long
 * @param batch rows deleted per statement, so no purge holds long locks
 */
@ConfigurationProperties("gistgrep.retention")
public record RetentionProperties(@DefaultValue("30d") Duration jobs, @DefaultValue("24h") Duration idempotencyKeys,
		@DefaultValue("1000") int batch, @DefaultValue("50") int maxBatchesPerRun) {

}
