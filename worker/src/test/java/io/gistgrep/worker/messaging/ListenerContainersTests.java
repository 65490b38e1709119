package io.gistgrep.worker.messaging;

import io.gistgrep.common.task.Queues;
import io.gistgrep.worker.WorkerTesting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
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
		worker = WorkerTesting.start("containers", "--gistgrep.github.tokens=t");
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
		assertThat(prefetch(registry, Queues.SCAN_GIST)).as("two batches of 100").isEqualTo(200);
	}

	private static Object prefetch(RabbitListenerEndpointRegistry registry, String id) {
		return ReflectionTestUtils.getField(registry.getListenerContainer(id), "prefetchCount");
	}

}
