package io.gistgrep.worker;

import java.util.Map;

import io.gistgrep.messaging.Topology;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * RabbitMQ for worker tests that need no Spring context: connections to a test run's
 * virtual host, and gistgrep's topology declared on it.
 */
public final class BrokerTesting {

	private BrokerTesting() {
	}

	/**
	 * Connections with publisher confirms and returns to the virtual host of
	 * {@code services} (a {@code TestServices} property map), on {@code host:port} (a
	 * proxy, or the broker itself).
	 */
	public static CachingConnectionFactory connections(Map<String, String> services, String host, int port) {
		CachingConnectionFactory factory = new CachingConnectionFactory(host, port);
		factory.setUsername(services.get("spring.rabbitmq.username"));
		factory.setPassword(services.get("spring.rabbitmq.password"));
		factory.setVirtualHost(services.get("spring.rabbitmq.virtual-host"));
		factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		factory.setPublisherReturns(true);
		return factory;
	}

	/**
	 * Connections to the broker of {@code services}, as
	 * {@link #connections(Map, String, int)}.
	 */
	public static CachingConnectionFactory connections(Map<String, String> services) {
		return connections(services, services.get("spring.rabbitmq.host"),
				Integer.parseInt(services.get("spring.rabbitmq.port")));
	}

	/** Declares gistgrep's exchanges, queues and bindings ({@link Topology}). */
	public static RabbitAdmin declareTopology(CachingConnectionFactory connections) {
		RabbitAdmin admin = new RabbitAdmin(connections);
		Topology.topology().getDeclarables().forEach((declarable) -> {
			switch (declarable) {
				case Exchange exchange -> admin.declareExchange(exchange);
				case Queue queue -> admin.declareQueue(queue);
				case Binding binding -> admin.declareBinding(binding);
				default -> throw new IllegalStateException("Unexpected " + declarable);
			}
		});
		return admin;
	}

}
