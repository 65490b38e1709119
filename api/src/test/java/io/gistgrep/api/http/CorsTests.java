package io.gistgrep.api.http;

import java.util.List;

import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** CORS as configured through {@code GISTGREP_CORS_ALLOWED_ORIGINS}. */
class CorsTests {

	private final CorsProperties properties = new CorsProperties(List.of(" https://app.example ", ""));

	@Test
	void aConfiguredOriginMayPreflightAndReadGetsAndPosts() throws Exception {
		MockHttpServletRequest preflight = new MockHttpServletRequest("OPTIONS", "/jobs");
		preflight.addHeader("Origin", "https://app.example");
		preflight.addHeader("Access-Control-Request-Method", "POST");
		preflight.addHeader("Access-Control-Request-Headers", "authorization, content-type, idempotency-key");
		MockHttpServletResponse answer = filter(preflight, new MockFilterChain());
		assertThat(answer.getStatus()).isEqualTo(200);
		assertThat(answer.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
		assertThat(answer.getHeader("Access-Control-Allow-Methods")).isEqualTo("GET,POST");
		assertThat(answer.getHeader("Access-Control-Allow-Headers")).containsIgnoringCase("authorization")
			.containsIgnoringCase("idempotency-key");
		assertThat(answer.getHeader("Access-Control-Allow-Credentials")).isNull();

		MockHttpServletRequest get = new MockHttpServletRequest("GET", "/jobs/1");
		get.addHeader("Origin", "https://app.example");
		MockHttpServletResponse read = filter(get, new MockFilterChain());
		assertThat(read.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
		assertThat(read.getHeader("Access-Control-Expose-Headers")).contains("Location").contains("Retry-After");
	}

	@Test
	void anotherOriginOrAnotherMethodIsRefused() throws Exception {
		MockHttpServletRequest other = new MockHttpServletRequest("GET", "/jobs");
		other.addHeader("Origin", "https://evil.example");
		MockHttpServletResponse refused = filter(other, new MockFilterChain());
		assertThat(refused.getStatus()).isEqualTo(403);
		assertThat(refused.getHeader("Access-Control-Allow-Origin")).isNull();

		MockHttpServletRequest delete = new MockHttpServletRequest("OPTIONS", "/jobs/1");
		delete.addHeader("Origin", "https://app.example");
		delete.addHeader("Access-Control-Request-Method", "DELETE");
		assertThat(filter(delete, new MockFilterChain()).getStatus()).isEqualTo(403);
	}

	@Test
	void corsIsOffWithoutOriginsAndAWildcardIsRefused() {
		assertThat(new CorsProperties(List.of()).enabled()).isFalse();
		assertThat(new CorsProperties(List.of(" ")).enabled()).isFalse();
		assertThat(this.properties.allowedOrigins()).containsExactly("https://app.example");
		assertThatIllegalArgumentException().isThrownBy(() -> new CorsProperties(List.of("*")));
	}

	private MockHttpServletResponse filter(MockHttpServletRequest request, FilterChain chain) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		HttpConfiguration.cors(this.properties).doFilter(request, response, chain);
		return response;
	}

}
