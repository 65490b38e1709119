package io.gistgrep.worker;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The worker's configuration is {@code gistgrep-worker.yml}, not {@code application.yml}:
 * {@code spring.config.name=gistgrep-worker} for an application whose source is
 * {@link WorkerApplication}, set before Spring Boot reads its configuration files. With
 * both apps on one classpath (the end-to-end tests run them in one JVM) the two
 * {@code application.yml} files would shadow each other, and the worker would run with
 * the api's settings. An explicit {@code spring.config.name} (a system property, the
 * environment, an argument) still wins. The api keeps {@code application.yml}.
 */
class WorkerConfigName implements EnvironmentPostProcessor, Ordered {

	static final String NAME = "gistgrep-worker";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (application.getAllSources().contains(WorkerApplication.class)
				&& !environment.containsProperty("spring.config.name")) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("gistgrepWorkerConfigName", Map.of("spring.config.name", NAME)));
		}
	}

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER - 1;
	}

}
