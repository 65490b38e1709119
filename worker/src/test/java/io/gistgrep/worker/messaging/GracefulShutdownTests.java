package io.gistgrep.worker.messaging;

import io.gistgrep.worker.WorkerTesting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.listener.MessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gistgrep.worker.shutdown-grace} reaches both places that bound a worker's
 * shutdown: every listener container's shutdown timeout and Spring's wait for each
 * shutdown phase. What a SIGTERM then does to a running worker process is
 * {@code e2e/WorkerRestartTests}.
 */
class GracefulShutdownTests {

	private static ConfigurableApplicationContext worker;

	@BeforeAll
	static void start() {
		worker = WorkerTesting.start("grace", "--gistgrep.github.tokens=t", "--gistgrep.worker.shutdown-grace=7s");
	}

	@AfterAll
	static void stop() {
		if (worker != null) {
			worker.close();
		}
	}

	@Test
	void everyListenerContainerWaitsTheGraceForItsTasksInHand() {
		var containers = worker.getBean(RabbitListenerEndpointRegistry.class).getListenerContainers();

		assertThat(containers).as("the work queues' and the dead letters' consumers").hasSizeGreaterThanOrEqualTo(5);
		for (MessageListenerContainer container : containers) {
			assertThat(container).isInstanceOf(SimpleMessageListenerContainer.class);
			assertThat(ReflectionTestUtils.getField(container, "shutdownTimeout")).isEqualTo(7_000L);
		}
	}

	@Test
	void springWaitsTheGraceForEachShutdownPhase() {
		Object processor = worker.getBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME);

		assertThat(processor).isInstanceOf(DefaultLifecycleProcessor.class);
		assertThat(ReflectionTestUtils.getField(processor, "timeoutPerShutdownPhase")).isEqualTo(7_000L);
	}

}
