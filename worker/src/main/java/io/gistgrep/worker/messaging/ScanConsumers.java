package io.gistgrep.worker.messaging;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scan queue's consumers: one message per gist stays on the wire (so the broker
 * spreads gists across workers), but each consumer takes them in batches of up to
 * {@link WorkerProperties.Scan#batchSize()}, waiting at most
 * {@link WorkerProperties.Scan#batchWait()} for a batch to fill. Acknowledgements are
 * manual: the listener acknowledges each message once its outcome is committed (or its
 * retry's copy confirmed), and returns the others to the queue, one by one, so that one
 * bad message does not take its batch with it.
 */
@Configuration(proxyBeanMethods = false)
public class ScanConsumers {

	/** The container factory of the scan queue's listener. */
	public static final String FACTORY = "scanContainerFactory";

	@Bean(FACTORY)
	SimpleRabbitListenerContainerFactory scanContainerFactory(SimpleRabbitListenerContainerFactoryConfigurer configurer,
			ConnectionFactory connections, WorkerProperties properties,
			ContainerCustomizer<SimpleMessageListenerContainer> shutdownGrace) {
		SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
		configurer.configure(factory, connections);
		WorkerProperties.Scan scan = properties.scan();
		factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		factory.setBatchListener(true);
		factory.setConsumerBatchEnabled(true);
		factory.setBatchSize(scan.batchSize());
		factory.setPrefetchCount(scan.prefetch());
		factory.setReceiveTimeout(scan.batchWait().toMillis());
		factory.setBatchReceiveTimeout(scan.batchWait().toMillis());
		factory.setConcurrentConsumers(scan.concurrency());
		factory.setMaxConcurrentConsumers(scan.concurrency());
		factory.setContainerCustomizer(shutdownGrace);
		// No container observation: Spring AMQP observes single deliveries only, never a
		// batch. ScanListener opens one observation per message, from its headers.
		factory.setObservationEnabled(false);
		return factory;
	}

}
