package io.gistgrep.messaging;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What both apps need on the broker: the topology (declared by whichever starts first),
 * JSON messages, and confirmed publishing. Imported by the api and the worker.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ OutboxProperties.class, BrokerProperties.class })
public class MessagingConfiguration {

	@Bean
	Declarables gistgrepTopology() {
		return Topology.topology();
	}

	@Bean
	MessageConverter messageConverter() {
		return new JacksonJsonMessageConverter();
	}

	@Bean
	OutboxTrace outboxTrace(ObjectProvider<ObservationRegistry> observations) {
		return new OutboxTrace(observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Bean
	ConfirmedPublisher confirmedPublisher(RabbitTemplate template) {
		return new ConfirmedPublisher(template);
	}

}
