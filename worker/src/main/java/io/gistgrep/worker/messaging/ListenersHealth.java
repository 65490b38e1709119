package io.gistgrep.worker.messaging;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.amqp.rabbit.listener.MessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether the worker consumes: every listener container (start, list, scan, webhook, dead
 * letters) running. A worker whose containers have stopped (after a fatal consumer error,
 * or while it shuts down) takes no task, so it is not ready, even though its process and
 * its connections are fine. A container that is running but reconnecting to the broker is
 * still running here: the readiness group's {@code rabbit} check reports the broker. Part
 * of readiness, never of liveness: restarting the process would not bring the broker
 * back.
 */
@Component("listenersHealthIndicator")
class ListenersHealth implements HealthIndicator {

	private final RabbitListenerEndpointRegistry registry;

	ListenersHealth(RabbitListenerEndpointRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Health health() {
		Map<String, Object> containers = new TreeMap<>();
		boolean all = true;
		for (String id : this.registry.getListenerContainerIds()) {
			MessageListenerContainer container = this.registry.getListenerContainer(id);
			boolean running = container != null && container.isRunning();
			containers.put(id, running ? "running" : "stopped");
			all &= running;
		}
		Health.Builder health = (all && !containers.isEmpty()) ? Health.up() : Health.outOfService();
		return health.withDetail("containers", containers).build();
	}

}
