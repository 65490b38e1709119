package io.gistgrep.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Boots the messaging module on the db module, without scheduling: the tests drive the
 * relay themselves.
 */
@SpringBootApplication(scanBasePackages = { "io.gistgrep.messaging", "io.gistgrep.db" })
class MessagingTestApplication {

	/** The apps get theirs from Actuator; the relay counts into it. */
	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

}
