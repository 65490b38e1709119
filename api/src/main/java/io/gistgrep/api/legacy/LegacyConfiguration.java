package io.gistgrep.api.legacy;

import java.time.Duration;

import io.gistgrep.db.job.JobRepository;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LegacyConfiguration {

	/** How often the waiter asks which awaited jobs have ended. */
	static final Duration TICK = Duration.ofMillis(100);

	@Bean
	JobWaiter jobWaiter(JobRepository jobs) {
		return new JobWaiter(jobs::finishedAmong, TICK);
	}

}
