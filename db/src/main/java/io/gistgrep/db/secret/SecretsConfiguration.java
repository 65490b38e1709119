package io.gistgrep.db.secret;

import io.gistgrep.common.secret.SecretBox;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one {@link SecretBox} of an app, from {@link SecretsProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecretsProperties.class)
class SecretsConfiguration {

	@Bean
	SecretBox secretBox(SecretsProperties properties) {
		return properties.box();
	}

}
