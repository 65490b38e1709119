package io.gistgrep.worker.warmup;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The start-up warm-up ({@code GISTGREP_WARMUP_*}).
 *
 * @param budget about how long the warm-up may hold the start: its steps run in rounds
 * until it is spent, each at least once however long that takes; {@code 0} turns it off
 */
@ConfigurationProperties("gistgrep.warmup")
record WarmupProperties(@DefaultValue("8s") Duration budget) {

	WarmupProperties {
		if (budget.isNegative()) {
			throw new IllegalArgumentException("gistgrep.warmup.budget must be 0 (off) or positive, not " + budget);
		}
	}

	boolean enabled() {
		return !this.budget.isZero();
	}

}
