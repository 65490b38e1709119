package io.gistgrep.api.ping;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ping endpoint and the problem answers of Spring MVC's own errors, in a web slice:
 * neither needs the database or the broker.
 */
@WebMvcTest(PingController.class)
class PingControllerTests {

	@Autowired
	MockMvcTester mvc;

	@Test
	void pingAnswersPong() {
		assertThat(this.mvc.get().uri("/ping")).hasStatusOk().hasBodyTextEqualTo("pong");
	}

	@Test
	void anUnknownPathIsA404Problem() {
		assertThat(this.mvc.get().uri("/nowhere")).hasStatus(404)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://gistgrep.dev/problems/not-found");
	}

	@Test
	void aWrongMethodIsA405Problem() {
		assertThat(this.mvc.post().uri("/ping")).hasStatus(405)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://gistgrep.dev/problems/method-not-allowed");
	}

}
