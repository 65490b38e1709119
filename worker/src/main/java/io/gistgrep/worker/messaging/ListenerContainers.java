package io.gistgrep.worker.messaging;

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
 * through the queue is part of the design, not a setting.
 */
@Configuration(proxyBeanMethods = false)
class ListenerContainers {

	/** Replaces Spring Boot's own factory, which it defines only when this is missing. */
	@Bean
	SimpleRabbitListenerContainerFactory rabbitListenerContainerFactory(
			SimpleRabbitListenerContainerFactoryConfigurer configurer, ConnectionFactory connections,
			ContainerCustomizer<SimpleMessageListenerContainer> shutdownGrace) {
		SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
		configurer.configure(factory, connections);
		factory.setObservationEnabled(true);
		factory.setContainerCustomizer(shutdownGrace);
		return factory;
	}

}
