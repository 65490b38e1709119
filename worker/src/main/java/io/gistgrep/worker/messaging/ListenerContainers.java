package io.gistgrep.worker.messaging;

import java.util.Set;

import io.gistgrep.common.task.Queues;

import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The listener container factory of every listener but the scan queue's
 * ({@link ScanConsumers}): Spring Boot's, configured from
 * {@code spring.rabbitmq.listener.simple}, with observation always on, so that each
 * delivery continues the trace of its {@code traceparent} header and the listener's log
 * lines carry that trace id. On in code rather than by property: the trace of a job
 * through the queue is part of the design, not a setting. The listing queues' consumers
 * prefetch one task instead of {@code spring.rabbitmq.listener.simple.prefetch} (4).
 */
@Configuration(proxyBeanMethods = false)
public class ListenerContainers {

	/** The factory's bean name: Spring Boot's, whose own factory this replaces. */
	public static final String FACTORY = "rabbitListenerContainerFactory";

	/**
	 * The listeners whose consumers take one task at a time: a listing task lists several
	 * pages in a row ({@code GISTGREP_LISTING_PAGES_PER_TASK}, 10), and a task prefetched
	 * behind it (another job's start, say) would wait for all of them while other
	 * consumers are idle.
	 */
	private static final Set<String> ONE_AT_A_TIME = Set.of(Queues.START_JOB, Queues.LIST_PAGE);

	/** Replaces Spring Boot's own factory, which it defines only when this is missing. */
	@Bean(FACTORY)
	SimpleRabbitListenerContainerFactory rabbitListenerContainerFactory(
			SimpleRabbitListenerContainerFactoryConfigurer configurer, ConnectionFactory connections,
			ContainerCustomizer<SimpleMessageListenerContainer> shutdownGrace) {
		SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
		configurer.configure(factory, connections);
		factory.setObservationEnabled(true);
		factory.setContainerCustomizer((container) -> {
			shutdownGrace.configure(container);
			if (ONE_AT_A_TIME.contains(container.getListenerId())) {
				container.setPrefetchCount(1);
			}
		});
		return factory;
	}

}
