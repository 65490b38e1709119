package io.gistgrep.worker.github;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up's stand-in of GitHub answers its listing as GitHub does. */
class StandInTests {

	@Test
	void aListingOfTwoPagesLinksTheSecondFromTheFirstAndAnswersAnEmptyPageAfterTheLast() throws Exception {
		try (StandIn standIn = StandIn.start(150, JsonMapper.builder().build());
				HttpClient http = HttpClient.newHttpClient()) {
			String listing = standIn.base() + "/users/" + StandIn.USER + "/gists";

			HttpResponse<String> first = get(http, listing + "?per_page=100");
			HttpResponse<String> second = get(http, listing + "?per_page=100&page=2");
			HttpResponse<String> third = get(http, listing + "?per_page=100&page=3");

			assertThat(first.headers().firstValue("link"))
				.hasValue("<" + listing + "?per_page=100&page=2>; rel=\"next\"");
			assertThat(second.headers().firstValue("link")).isEmpty();
			assertThat(second.body()).startsWith("[{").isNotEqualTo(first.body());
			assertThat(third.statusCode()).isEqualTo(200);
			assertThat(third.body()).isEqualTo("[]");
			assertThat(get(http, listing + "?page=x").statusCode()).isEqualTo(422);
			assertThat(get(http, standIn.base() + "/users/someone-else/gists").statusCode()).isEqualTo(404);
		}
	}

	private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
	}

}
