package io.gistgrep.worker.messaging;

import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a worker does when told to stop (SIGTERM, a rolling restart, a scale-down).
 * <ol>
 * <li>Every listener container cancels its consumers: no new task is taken.</li>
 * <li>The task each consumer is running finishes, and so do the few it had prefetched (at
 * most {@code spring.rabbitmq.listener.simple.prefetch}, 4; a scan consumer's batch and
 * the two batches it prefetches, see {@link ScanConsumers}). Not {@code force-stop},
 * which would return those at once: with it, Spring AMQP 4.0's consumers are never marked
 * cancelled, spin until the timeout, and every shutdown takes the whole grace.</li>
 * <li>A task still running after {@link WorkerProperties#shutdownGrace()} is abandoned:
 * the container closes its channel, the broker requeues the delivery, and another worker
 * runs it again. Running a task twice is safe, as every task is idempotent (a gist is
 * counted only while it is pending).</li>
 * </ol>
 * The same grace bounds Spring's wait for each shutdown phase
 * ({@code spring.lifecycle.timeout-per-shutdown-phase}, set from it in
 * {@code gistgrep-worker.yml}), and the process then exits 0 ({@code ExitOnTerm}).
 */
@Configuration(proxyBeanMethods = false)
class GracefulShutdown {

	/**
	 * Applied to the containers of both listener container factories:
	 * {@link ListenerContainers}' (every listener but the scan queue's) and
	 * {@link ScanConsumers}'.
	 */
	@Bean
	ContainerCustomizer<SimpleMessageListenerContainer> shutdownGrace(WorkerProperties properties) {
		return (container) -> container.setShutdownTimeout(properties.shutdownGrace().toMillis());
	}

}
