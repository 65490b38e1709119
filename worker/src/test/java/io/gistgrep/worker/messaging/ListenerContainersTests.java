package io.gistgrep.worker.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.gistgrep.common.task.Queues;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each listener container prefetches what its tasks call for: one task at a time for the
 * listing queues (a task may list ten pages), four for the others, two batches for the
 * scan queue.
 */
class ListenerContainersTests {

	private static ConfigurableApplicationContext worker;

	@BeforeAll
	static void start() {
		Map<String, String> services = TestServices.get().isolated("containers");
		List<String> args = new ArrayList<>();
		services.forEach((key, value) -> args.add("--" + key + "=" + value));
		args.addAll(List.of("--server.port=0", "--spring.application.name=containers", "--gistgrep.github.tokens=t"));
		worker = new SpringApplicationBuilder(WorkerApplication.class).run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		if (worker != null) {
			worker.close();
		}
	}

	@Test
	void theListingQueuesConsumersTakeOneTaskAtATimeAndTheOthersKeepTheirPrefetch() {
		RabbitListenerEndpointRegistry registry = worker.getBean(RabbitListenerEndpointRegistry.class);

		assertThat(prefetch(registry, Queues.START_JOB)).isEqualTo(1);
		assertThat(prefetch(registry, Queues.LIST_PAGE)).isEqualTo(1);
		assertThat(prefetch(registry, Queues.DELIVER_WEBHOOK)).isEqualTo(4);
		assertThat(prefetch(registry, Queues.SCAN_GIST)).as("two batches of 50").isEqualTo(100);
	}

	private static Object prefetch(RabbitListenerEndpointRegistry registry, String id) {
		return ReflectionTestUtils.getField(registry.getListenerContainer(id), "prefetchCount");
	}

}
