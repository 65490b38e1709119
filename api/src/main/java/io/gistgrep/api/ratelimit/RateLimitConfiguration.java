package io.gistgrep.api.ratelimit;

import io.gistgrep.api.auth.AuthConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The rate-limit filter, right after the auth filters (it needs the tenant). */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(TokenBuckets buckets, RateLimitProperties properties,
			JsonMapper json, MeterRegistry meters) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
				new RateLimitFilter(buckets, properties, json, meters));
		registration.setOrder(AuthConfiguration.FILTER_ORDER + 10);
		return registration;
	}

}
