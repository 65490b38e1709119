package io.gistgrep.e2e;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The original service's contract, answered by the new pipeline. */
class LegacySearchTests {

	private final Stack stack = Stack.get();

	@Test
	void theOriginalAcceptanceCaseAnswersExactlyAsBefore() {
		Stack.Response response = this.stack.post("/api/v1/search",
				"{\"username\":\"justdionysus\",\"pattern\":\"TerbiumLabsChallenge_[0-9]+\"}");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).isEqualTo(this.stack.json.readTree(
				"{\"status\":\"success\",\"username\":\"justdionysus\",\"pattern\":\"TerbiumLabsChallenge_[0-9]+\","
						+ "\"matches\":[\"https://gist.github.com/justdionysus/6b2972aa971dd605f524\"]}"));
	}

	@Test
	void anUnknownUserIsA404ProblemNotA500() {
		Stack.Response response = this.stack.post("/api/v1/search",
				"{\"username\":\"nobody-here-x\",\"pattern\":\"x\"}");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/github-user-not-found");
	}

	@Test
	void anInvalidPatternIsA400Problem() {
		Stack.Response response = this.stack.post("/api/v1/search",
				"{\"username\":\"justdionysus\",\"pattern\":\"(a\"}");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("type").asString()).isEqualTo("https://gistgrep.dev/problems/invalid-pattern");
	}

}
