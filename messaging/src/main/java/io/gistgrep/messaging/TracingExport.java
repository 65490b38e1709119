package io.gistgrep.messaging;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Exports spans over OTLP to {@code GISTGREP_TRACING_OTLP_ENDPOINT} (for the default HTTP
 * transport, a URL such as {@code http://collector:4318/v1/traces}), and only when it is
 * set: without it there is no exporter and no connection attempt. Spring Boot's own
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} would take an empty value
 * (as Compose and the chart pass an unset variable) for an endpoint and fail. Both apps
 * use it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(OtlpTracingConnectionDetails.class)
class TracingExport {

	static final String ENDPOINT = "gistgrep.tracing.otlp-endpoint";

	@Bean
	@Conditional(EndpointSet.class)
	OtlpTracingConnectionDetails gistgrepOtlpTracing(Environment environment) {
		String endpoint = environment.getRequiredProperty(ENDPOINT).strip();
		return (transport) -> endpoint;
	}

	static class EndpointSet implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return StringUtils.hasText(context.getEnvironment().getProperty(ENDPOINT));
		}

	}

}
