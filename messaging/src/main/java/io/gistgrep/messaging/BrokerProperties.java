package io.gistgrep.messaging;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Protection of the broker ({@code GISTGREP_BROKER_*}), applied as RabbitMQ policies by
 * {@link BrokerPolicies}.
 *
 * @param scanQueueMaxLength the most messages the scan queue holds; beyond it the broker
 * refuses publishes (nacks), and the outbox keeps them until there is room
 * @param managementUrl RabbitMQ's management API; blank: {@code http://} +
 * {@code spring.rabbitmq.host} + {@code :15672}
 * @param managementUsername blank: {@code spring.rabbitmq.username}
 * @param managementPassword blank: {@code spring.rabbitmq.password}
 */
@ConfigurationProperties("gistgrep.broker")
record BrokerProperties(@DefaultValue("100000") int scanQueueMaxLength, @Nullable String managementUrl,
		@Nullable String managementUsername, @Nullable String managementPassword) {

	BrokerProperties {
		if (scanQueueMaxLength < 1) {
			throw new IllegalArgumentException(
					"gistgrep.broker.scan-queue-max-length (GISTGREP_BROKER_SCAN_QUEUE_MAX_LENGTH) must be 1 or more, was "
							+ scanQueueMaxLength);
		}
	}

}
