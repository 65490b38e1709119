package io.gistgrep.api.auth;

import java.util.List;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The auth filters (early: what runs after them, such as rate limits, may read the
 * tenant) and the OpenAPI security schemes.
 */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(name = AuthConfiguration.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
		bearerFormat = "ggk_…", description = "An API key: Authorization: Bearer ggk_…")
@SecurityScheme(name = AuthConfiguration.ADMIN_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
		description = "GISTGREP_ADMIN_TOKEN")
public class AuthConfiguration {

	/** The name of the API key scheme, for {@code @SecurityRequirement}. */
	public static final String API_KEY = "apiKey";

	/** The name of the admin token scheme, for {@code @SecurityRequirement}. */
	public static final String ADMIN_TOKEN = "adminToken";

	/** Where the auth filters sit in the chain: early, leaving room before them. */
	public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	static {
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Tenant.class);
	}

	@Bean
	FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeys keys, AuthProperties properties, JsonMapper json) {
		FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(
				new ApiKeyFilter(keys, new Unauthorized(json), properties.legacyAnonymous()));
		registration.setOrder(FILTER_ORDER);
		return registration;
	}

	@Bean
	FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(AuthProperties properties, JsonMapper json) {
		FilterRegistrationBean<AdminTokenFilter> registration = new FilterRegistrationBean<>(
				new AdminTokenFilter(properties, new Unauthorized(json)));
		registration.setUrlPatterns(List.of("/admin/*"));
		registration.setOrder(FILTER_ORDER);
		return registration;
	}

}
