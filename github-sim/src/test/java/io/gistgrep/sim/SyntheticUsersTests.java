package io.gistgrep.sim;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticUsersTests {

	private static final Map<String, String> LANGUAGES = Map.of("py", "Python", "js", "JavaScript", "md", "Markdown",
			"txt", "Text");

	@Test
	void generationIsDeterministic() {
		SimUser first = SyntheticUsers.generate("bench", 50, 9);
		SimUser second = SyntheticUsers.generate("bench", 50, 9);
		SimUser otherSeed = SyntheticUsers.generate("bench", 50, 10);
		assertThat(first.id()).isEqualTo(second.id());
		for (int i = 0; i < 50; i++) {
			SimGist a = first.gists().get(i);
			SimGist b = second.gists().get(i);
			assertThat(a.id()).isEqualTo(b.id());
			assertThat(a.createdAt()).isEqualTo(b.createdAt());
			assertThat(a.updatedAt()).isEqualTo(b.updatedAt());
			assertThat(a.files()).extracting(SimFile::blobSha)
				.containsExactlyElementsOf(b.files().stream().map(SimFile::blobSha).toList());
		}
		assertThat(otherSeed.gists().get(0).id()).isNotEqualTo(first.gists().get(0).id());
	}

	@Test
	void generatedGistsLookLikeSnippetsWithThingsWorthFinding() {
		List<SimGist> gists = SyntheticUsers.generate("bench", 400, 1).gists();
		StringBuilder all = new StringBuilder();
		for (SimGist gist : gists) {
			assertThat(gist.id()).matches("[0-9a-f]{20,32}");
			assertThat(gist.files()).hasSizeBetween(1, 3);
			assertThat(gist.updatedAt()).isAfterOrEqualTo(gist.createdAt());
			for (SimFile file : gist.files()) {
				String extension = file.filename().substring(file.filename().lastIndexOf('.') + 1);
				assertThat(file.language()).isEqualTo(LANGUAGES.get(extension));
				assertThat(file.size()).isBetween(200, 8000);
				all.append(new String(file.content(), StandardCharsets.UTF_8));
			}
		}
		assertThat(gists).extracting(SimGist::createdAt).isSortedAccordingTo((a, b) -> b.compareTo(a));
		assertThat(gists).extracting(SimGist::id).doesNotHaveDuplicates();
		String text = all.toString();
		assertThat(Pattern.compile("TODO: ").matcher(text).results().count()).isGreaterThan(40);
		assertThat(Pattern.compile("password = ").matcher(text).results().count()).isGreaterThan(10);
		assertThat(Pattern.compile("AKIA[A-Z0-9]{16}").matcher(text).results().count()).isGreaterThan(5);
		assertThat(Pattern.compile("[a-z]+\\.[a-z]+[0-9]*@[a-z.]+").matcher(text).results().count()).isGreaterThan(20);
	}

	@Test
	void syntheticLoginsExistWithoutBeingAdded() {
		try (GitHubSim github = GitHubSim.start(SimOptions.defaults()); SimClient client = new SimClient()) {
			HttpResponse<byte[]> response = client.get(github.apiUrl() + "/users/synthetic-250/gists?per_page=100");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(SimClient.links(response).get("last")).endsWith("page=3");
			assertThat(github.user("synthetic-250")).hasValueSatisfying((user) -> {
				assertThat(user.gists()).hasSize(250);
				assertThat(user.login()).isEqualTo("synthetic-250");
			});
			assertThat(client.get(github.apiUrl() + "/users/synthetic-100001/gists").statusCode()).isEqualTo(404);
			assertThat(client.get(github.apiUrl() + "/users/synthetic-007/gists").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void onDemandUsersAreTheSameAcrossSimulatorsWithTheSameSeed() {
		SimOptions options = SimOptions.defaults().withSeed(1234);
		try (GitHubSim first = GitHubSim.start(options);
				GitHubSim second = GitHubSim.start(options);
				GitHubSim otherSeed = GitHubSim.start(options.withSeed(99));
				SimClient client = new SimClient()) {
			String path = "/users/synthetic-250/gists?per_page=100&page=2";
			String firstBody = portless(client.get(first.apiUrl() + path), first);
			String secondBody = portless(client.get(second.apiUrl() + path), second);
			String otherBody = portless(client.get(otherSeed.apiUrl() + path), otherSeed);
			assertThat(secondBody).isEqualTo(firstBody);
			assertThat(otherBody).isNotEqualTo(firstBody);
			JsonNode gist = SimClient.json(client.get(first.apiUrl() + path)).get(0);
			String rawUrl = gist.get("files").values().iterator().next().get("raw_url").asString();
			HttpResponse<byte[]> raw = client.get(rawUrl);
			HttpResponse<byte[]> rawFromSecond = client.get(rawUrl.replace(first.rawBaseUrl(), second.rawBaseUrl()));
			assertThat(raw.statusCode()).isEqualTo(200);
			assertThat(rawFromSecond.body()).isEqualTo(raw.body());
		}
	}

	@Test
	void aHundredThousandGistUserServesItsLastPage() {
		try (GitHubSim github = GitHubSim.start(SimOptions.defaults()); SimClient client = new SimClient()) {
			HttpResponse<byte[]> last = client
				.get(github.apiUrl() + "/users/synthetic-100000/gists?per_page=100&page=1000");
			assertThat(SimClient.json(last)).hasSize(100);
			assertThat(SimClient.links(last)).doesNotContainKey("next").containsKey("prev");
			String lastId = SimClient.json(last).get(99).get("id").asString();
			assertThat(client.get(github.apiUrl() + "/gists/" + lastId).statusCode()).isEqualTo(200);
		}
	}

	private static String portless(HttpResponse<byte[]> response, GitHubSim github) {
		return SimClient.text(response).replace(github.apiUrl(), "API").replace(github.rawBaseUrl(), "RAW");
	}

}
