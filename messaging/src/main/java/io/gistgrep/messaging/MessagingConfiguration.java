package io.gistgrep.messaging;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.exporter.SpanExportingPredicate;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.support.ScheduledTaskObservationContext;

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

	/**
	 * Every publish carries its trace context (a W3C {@code traceparent} header), a child
	 * of the current observation: on in code rather than by property, as the trace of a
	 * job through the queue is part of the design, not a setting.
	 */
	@Bean
	RabbitTemplateCustomizer tracedPublishes() {
		return (template) -> template.setObservationEnabled(true);
	}

	/**
	 * No observation (so no trace) for the scheduled runs of {@link Untraced} classes:
	 * the relay's safety-net poll, the gauges' refreshes. Spring observes every scheduled
	 * run, and these, every second or ten in every process, would export a trace each
	 * time. What the relay publishes is traced by {@link OutboxTrace}; the reaper's and
	 * retention's runs stay traced (their repairs' outbox rows carry the sweep's trace).
	 */
	@Bean
	ObservationPredicate housekeepingUntraced() {
		return (name, context) -> !(context instanceof ScheduledTaskObservationContext scheduled
				&& scheduled.getTargetClass().isAnnotationPresent(Untraced.class));
	}

	/**
	 * No meters for the start-up warm-ups' deliveries ({@link BrokerExercise}): tagged
	 * with their queues' names (or their template's), which are new at each start, they
	 * would each be a new series in Prometheus, and count work no job did
	 * ({@link BrokerExercise#namesWarmup}).
	 */
	@Bean
	MeterFilter warmupUnmetered() {
		return MeterFilter.deny((id) -> id.getTags()
			.stream()
			.anyMatch((tag) -> BrokerExercise.namesWarmup(tag.getKey(), tag.getValue())));
	}

	/** No exported spans for the start-up warm-ups' deliveries, as for their meters. */
	@Bean
	SpanExportingPredicate warmupUntraced() {
		return (span) -> span.getTags()
			.entrySet()
			.stream()
			.noneMatch((tag) -> BrokerExercise.namesWarmup(tag.getKey(), tag.getValue()));
	}

	@Bean
	OutboxTrace outboxTrace(ObjectProvider<ObservationRegistry> observations) {
		return new OutboxTrace(observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	/**
	 * Publishes through Spring Boot's template, observed ({@link #tracedPublishes}), and
	 * fan-outs through a template configured as Boot configures its own but left
	 * unobserved (see {@link ConfirmedPublisher#publishEach}). Not a bean: a second
	 * {@code RabbitTemplate} bean would stop Boot from making its own. Boot's
	 * {@code RabbitTemplateCustomizer}s apply to its own template only; the one here,
	 * {@link #tracedPublishes}, is the one left out on purpose.
	 */
	@Bean
	ConfirmedPublisher confirmedPublisher(RabbitTemplate template, RabbitTemplateConfigurer configurer,
			ConnectionFactory connections) {
		RabbitTemplate fanOuts = new RabbitTemplate();
		configurer.configure(fanOuts, connections);
		fanOuts.setObservationEnabled(false);
		return new ConfirmedPublisher(template, fanOuts);
	}

}
