package io.gistgrep.api;

import io.gistgrep.common.messaging.MessagingConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The HTTP service: takes searches as jobs, and serves their progress and results. */
@SpringBootApplication(scanBasePackages = { "io.gistgrep.api", "io.gistgrep.db" })
@ConfigurationPropertiesScan
@EnableScheduling
@Import(MessagingConfiguration.class)
public class ApiApplication {

	public static void main(String[] args) {
		SpringApplication.run(ApiApplication.class, args);
	}

}
