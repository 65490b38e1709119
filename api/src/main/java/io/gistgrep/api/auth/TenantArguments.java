package io.gistgrep.api.auth;

import java.util.List;

import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Lets controller methods take the request's {@link Tenant} as a parameter. */
@Component
class TenantArguments implements WebMvcConfigurer {

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(new TenantResolver());
	}

	/** Resolves a {@link Tenant} parameter from what {@link ApiKeyFilter} found. */
	static final class TenantResolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == Tenant.class;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
				NativeWebRequest request, WebDataBinderFactory binderFactory) {
			Object tenant = request.getAttribute(Tenant.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
			if (tenant == null) {
				throw new IllegalStateException("No tenant on the request: is the path guarded by ApiKeyFilter?");
			}
			return tenant;
		}

	}

}
