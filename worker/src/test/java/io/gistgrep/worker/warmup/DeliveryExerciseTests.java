package io.gistgrep.worker.warmup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gistgrep.messaging.BrokerExercise;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import io.gistgrep.worker.messaging.ListenerContainers;
import io.gistgrep.worker.messaging.ScanConsumers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageReceiverContext;
import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageSenderContext;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's deliveries, in a worker on a virtual host of its own: every task it
 * publishes is delivered through containers of the worker's own factories, observed as a
 * job's tasks are, and none of it shows in the metrics; its queues are gone after.
 */
class DeliveryExerciseTests {

	private static ConfigurableApplicationContext worker;

	@BeforeAll
	static void start() {
		// The warm-up off, in place of the run's budget: a property given twice on the
		// command line is joined with a comma, not overridden.
		Map<String, String> properties = new LinkedHashMap<>(TestServices.get().isolated("warmupdeliveries"));
		properties.put("gistgrep.warmup.budget", "0s");
		List<String> args = new ArrayList<>();
		properties.forEach((key, value) -> args.add("--" + key + "=" + value));
		args.addAll(List.of("--server.port=0", "--management.server.port=0",
				"--spring.application.name=warmup-deliveries"));
		worker = new SpringApplicationBuilder(WorkerApplication.class).run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		worker.close();
	}

	@Test
	void everyTaskIsDeliveredThroughTheWorkersOwnContainersObservedButUnmeteredAndItsQueuesAreDeletedAfter() {
		List<Observation.Context> observed = new CopyOnWriteArrayList<>();
		worker.getBean(ObservationRegistry.class).observationConfig().observationHandler(new Recorder(observed));
		AmqpAdmin admin = worker.getBean(AmqpAdmin.class);
		DeliveryExercise exercise = new DeliveryExercise(admin, worker.getBean(ConnectionFactory.class),
				worker.getBean(MessageConverter.class), worker,
				worker.getBean(ScanConsumers.FACTORY, SimpleRabbitListenerContainerFactory.class),
				worker.getBean(ListenerContainers.FACTORY, SimpleRabbitListenerContainerFactory.class));
		List<String> queues = exercise.queues();
		try {
			exercise.round();
			exercise.round();
		}
		finally {
			exercise.close();
		}

		int tasks = DeliveryExercise.SCANS + DeliveryExercise.TASKS;
		assertThat(exercise.received()).isEqualTo(2 * tasks);
		assertThat(queues).allSatisfy((queue) -> {
			assertThat(queue).startsWith(BrokerExercise.QUEUE_PREFIX);
			assertThat(admin.getQueueInfo(queue)).as("the warm-up's queue %s, after it", queue).isNull();
		});
		assertThat(observed).as("publishes to the warm-up's queues observed as the relay's: one by one, not a fan-out")
			.filteredOn((context) -> context instanceof RabbitMessageSenderContext sent
					&& sent.getRoutingKey().startsWith(BrokerExercise.QUEUE_PREFIX))
			.hasSize(2 * DeliveryExercise.TASKS)
			.allSatisfy((context) -> assertThat(((RabbitMessageSenderContext) context).getRoutingKey())
				.isEqualTo(queues.get(1)));
		assertThat(observed).as("scan tasks taken in as the scan listener takes them in")
			.filteredOn((context) -> context.getName().equals("gistgrep.scan")
					&& context.getLowCardinalityKeyValue("queue").getValue().startsWith(BrokerExercise.QUEUE_PREFIX))
			.hasSize(2 * DeliveryExercise.SCANS);
		assertThat(observed).as("start and listing tasks observed by their container")
			.filteredOn((context) -> context.getName().equals("spring.rabbit.listener")
					&& context instanceof RabbitMessageReceiverContext received
					&& received.getListenerId().startsWith(BrokerExercise.QUEUE_PREFIX))
			.hasSize(2 * DeliveryExercise.TASKS);
		MeterRegistry meters = worker.getBean(MeterRegistry.class);
		assertThat(meters.getMeters()).as("meters tagged with a warm-up's queue")
			.noneMatch((meter) -> meter.getId()
				.getTags()
				.stream()
				.anyMatch((tag) -> tag.getValue().startsWith(BrokerExercise.QUEUE_PREFIX)));
		assertThat(meters.find("gistgrep.scan").meters()).as("the scans' timer, which no job used").isEmpty();
	}

	/** Records every observation that stops. */
	private record Recorder(List<Observation.Context> observed) implements ObservationHandler<Observation.Context> {

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		@Override
		public void onStop(Observation.Context context) {
			this.observed.add(context);
		}

	}

}
