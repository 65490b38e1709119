package io.gistgrep.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The worker: lists users' gists, scans them and finishes jobs, from RabbitMQ. */
@SpringBootApplication(scanBasePackages = { "io.gistgrep.worker", "io.gistgrep.db", "io.gistgrep.messaging" })
@ConfigurationPropertiesScan
@EnableScheduling
public class WorkerApplication {

	public static void main(String[] args) {
		ExitOnTerm.install();
		SpringApplication.run(WorkerApplication.class, args);
	}

}
