package io.gistgrep.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The HTTP service: takes searches as jobs, and serves their progress and results. */
@SpringBootApplication(scanBasePackages = { "io.gistgrep.api", "io.gistgrep.db", "io.gistgrep.messaging" })
@ConfigurationPropertiesScan
@EnableScheduling
public class ApiApplication {

	public static void main(String[] args) {
		SpringApplication.run(ApiApplication.class, args);
	}

}
