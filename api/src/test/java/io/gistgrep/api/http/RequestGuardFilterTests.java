package io.gistgrep.api.http;

import java.nio.charset.StandardCharsets;

import io.gistgrep.api.problem.Problems;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The body cap at a configured size ({@code GISTGREP_HTTP_MAX_REQUEST_BODY}). */
class RequestGuardFilterTests {

	private final RequestGuardFilter filter = new RequestGuardFilter(new HttpProperties(DataSize.ofBytes(100)),
			new ProblemWriter(JsonMapper.builder().build()));

	@Test
	void aDeclaredLengthOverTheConfiguredCapIsAnswered413WithoutCallingTheApi() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/jobs");
		request.setContent(new byte[101]);
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, response, chain);
		assertThat(response.getStatus()).isEqualTo(413);
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		assertThat(response.getContentAsString()).contains(Problems.TYPE_PREFIX + "payload-too-large")
			.contains("100 bytes");
		assertThat(chain.getRequest()).isNull();
	}

	@Test
	void aBodyWithoutLengthFailsOnceItGrowsPastTheCapAndOneWithinItIsReadWhole() throws Exception {
		MockHttpServletRequest chunked = new MockHttpServletRequest("POST", "/jobs") {
			@Override
			public long getContentLengthLong() {
				return -1;
			}
		};
		chunked.setContent(new byte[101]);
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(chunked, new MockHttpServletResponse(), chain);
		assertThatExceptionOfType(ErrorResponseException.class)
			.isThrownBy(() -> chain.getRequest().getInputStream().readAllBytes())
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(413));

		MockHttpServletRequest small = new MockHttpServletRequest("POST", "/jobs");
		small.setContent("x".repeat(100).getBytes(StandardCharsets.UTF_8));
		MockFilterChain passed = new MockFilterChain();
		this.filter.doFilter(small, new MockHttpServletResponse(), passed);
		assertThat(passed.getRequest().getInputStream().readAllBytes()).hasSize(100);
	}

}
