package io.gistgrep.worker;

import java.util.ArrayList;
import java.util.List;

import io.gistgrep.testing.TestServices;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The worker application for tests that need the whole of it: on a database, virtual host
 * and Redis database of its own ({@link TestServices#isolated}), on a random port.
 */
public final class WorkerTesting {

	private WorkerTesting() {
	}

	/**
	 * Starts a worker named {@code name} (its services' and its application's name), with
	 * more command-line arguments.
	 */
	public static ConfigurableApplicationContext start(String name, String... args) {
		List<String> all = new ArrayList<>();
		TestServices.get().isolated(name).forEach((key, value) -> all.add("--" + key + "=" + value));
		all.addAll(List.of("--server.port=0", "--spring.application.name=" + name));
		all.addAll(List.of(args));
		return new SpringApplicationBuilder(WorkerApplication.class).run(all.toArray(String[]::new));
	}

}
