package io.gistgrep.worker.warmup;

import java.util.ArrayList;
import java.util.List;

import io.gistgrep.common.task.ScanGist;
import io.gistgrep.messaging.BrokerExercise;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's broker step, in a worker on a virtual host of its own: every task it
 * publishes comes back to it, and its queue is gone after the round.
 */
class BrokerExerciseTests {

	private static ConfigurableApplicationContext worker;

	@BeforeAll
	static void start() {
		List<String> args = new ArrayList<>();
		TestServices.get().isolated("warmupbroker").forEach((key, value) -> args.add("--" + key + "=" + value));
		args.addAll(List.of("--server.port=0", "--management.server.port=0", "--spring.application.name=warmup-broker",
				"--gistgrep.warmup.budget=0s"));
		worker = new SpringApplicationBuilder(WorkerApplication.class).run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		worker.close();
	}

	@Test
	void everyTaskTheBrokerStepPublishesComesBackAndItsQueueIsDeletedAfter() {
		AmqpAdmin admin = worker.getBean(AmqpAdmin.class);
		BrokerExercise exercise = new BrokerExercise(admin, worker.getBean(ConnectionFactory.class),
				worker.getBean(MessageConverter.class), (job) -> new ScanGist(job, "warmup", 0));

		exercise.round();
		exercise.round();

		assertThat(exercise.received()).isEqualTo(2 * BrokerExercise.TASKS);
		assertThat(exercise.lastQueue()).startsWith("gistgrep.warmup.");
		assertThat(admin.getQueueInfo(exercise.lastQueue())).as("the round's queue, after it").isNull();
		assertThat(worker.getBean(MeterRegistry.class).find("spring.rabbit.template").meters())
			.as("the application's template's metrics")
			.isEmpty();
	}

}
