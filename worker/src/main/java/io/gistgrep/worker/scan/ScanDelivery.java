package io.gistgrep.worker.scan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.rabbitmq.client.Channel;
import io.gistgrep.common.task.ScanGist;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageReceiverContext;

/**
 * How a scan message of a batch is taken in: its observation (a batch listener container
 * observes nothing by itself, {@link io.gistgrep.worker.messaging.ScanConsumers}), its
 * task, and its settlement. Shared by {@link ScanListener} and the worker's start-up
 * warm-up, which takes scan tasks through the same path on a queue of its own before the
 * first job does.
 */
public final class ScanDelivery {

	static final String OBSERVATION = "gistgrep.scan";

	/**
	 * Tasks as the outbox wrote them: plain JSON, whatever the application's own mapper
	 * is configured to write.
	 */
	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ScanDelivery() {
	}

	/**
	 * Starts the observation of one delivery, a child of the trace its headers carry,
	 * tagged with the queue its listener consumes.
	 */
	static Observation observe(Message message, String queue, ObservationRegistry observations) {
		return Observation
			.createNotStarted(OBSERVATION, () -> new RabbitMessageReceiverContext(message, "scan"), observations)
			.lowCardinalityKeyValue("queue", queue)
			.start();
	}

	/**
	 * The scan task a message carries.
	 * @throws JacksonException when its body is not a task
	 * @throws IllegalArgumentException when it names no job or no gist
	 */
	static ScanGist read(Message message) {
		ScanGist task = JSON.readValue(message.getBody(), ScanGist.class);
		if (task.jobId() == null || task.gistId() == null) {
			throw new IllegalArgumentException("A scan task names a job and a gist");
		}
		return task;
	}

	/**
	 * Ends a delivery's observation, tagged with what became of its message (the same tag
	 * keys on every one, as Prometheus requires of a metric's series).
	 */
	static void stop(Observation observation, Settlement settlement) {
		observation.lowCardinalityKeyValue("settlement", settlement.name().toLowerCase(Locale.ROOT));
		observation.stop();
	}

	/**
	 * Acknowledges every message of a batch, each taken in as {@link #read} does and
	 * observed, tagged with {@code queue}: the warm-up's batch listener.
	 * @return each message's task, or what it threw
	 */
	public static List<Object> takeAll(List<Message> messages, String queue, Channel channel,
			ObservationRegistry observations) throws IOException {
		List<Object> tasks = new ArrayList<>(messages.size());
		List<Long> tags = new ArrayList<>(messages.size());
		for (Message message : messages) {
			Observation observation = observe(message, queue, observations);
			try (Observation.Scope scope = observation.openScope()) {
				tasks.add(read(message));
			}
			catch (JacksonException | IllegalArgumentException ex) {
				observation.error(ex);
				tasks.add(ex);
			}
			finally {
				stop(observation, Settlement.ACK);
			}
			tags.add(message.getMessageProperties().getDeliveryTag());
		}
		Settlement.apply(channel, tags, Collections.nCopies(tags.size(), Settlement.ACK));
		return tasks;
	}

}
