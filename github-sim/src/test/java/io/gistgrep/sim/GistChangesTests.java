package io.gistgrep.sim;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A user's gists added, deleted and edited while a client lists them. */
class GistChangesTests {

	private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	@BeforeEach
	void addUser() {
		List<SimGist> gists = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			gists.add(SimGist.of("g" + i, null, START.plusSeconds(i), SimFile.text("f" + i + ".txt", "text " + i)));
		}
		this.github.addUser(new SimUser("octocat", 7, gists));
	}

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void anAddedGistIsListedFirstAndShiftsTheOthersDown() {
		this.github.addGist("octocat", SimGist.of("new1", null, START.plusSeconds(100), SimFile.text("n.txt", "n")));
		assertThat(ids(2, 1)).containsExactly("new1", "g4");
		assertThat(ids(2, 2)).containsExactly("g3", "g2");
		assertThat(this.client.get(this.github.apiUrl() + "/gists/new1").statusCode()).isEqualTo(200);
	}

	@Test
	void aGistWhoseIdIsTakenCannotBeAdded() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.github.addGist("octocat", SimGist.of("g1", null, START, SimFile.text("x", "x"))));
	}

	@Test
	void aDeletedGistIsGoneFromTheListingTheApiAndTheRawHost() {
		String rawUrl = item("g3").get("files").get("f3.txt").get("raw_url").asString();
		this.github.deleteGist("octocat", "g3");
		assertThat(ids(2, 1)).containsExactly("g4", "g2");
		assertThat(ids(2, 2)).containsExactly("g1", "g0");
		assertThat(this.client.get(this.github.apiUrl() + "/gists/g3").statusCode()).isEqualTo(404);
		assertThat(this.client.get(rawUrl).statusCode()).isEqualTo(404);
	}

	@Test
	void anEditedGistKeepsItsPlaceWithANewRawUrlAndUpdateTime() {
		JsonNode before = item("g2");
		SimGist edited = this.github.editGist("octocat", "g2");
		JsonNode after = item("g2");
		assertThat(ids(5, 1)).containsExactly("g4", "g3", "g2", "g1", "g0");
		String rawUrl = after.get("files").get("f2.txt").get("raw_url").asString();
		assertThat(rawUrl).isNotEqualTo(before.get("files").get("f2.txt").get("raw_url").asString())
			.contains(edited.files().getFirst().blobSha());
		assertThat(Instant.parse(after.get("updated_at").asString()))
			.isAfter(Instant.parse(before.get("updated_at").asString()));
		assertThat(SimClient.text(this.client.get(rawUrl))).startsWith("text 2\nedited at ");
	}

	@Test
	void aGistEditedWithGivenFilesServesThem() {
		this.github.editGist("octocat", "g1", List.of(SimFile.text("other.md", "MARKER")));
		JsonNode files = item("g1").get("files");
		assertThat(files.propertyNames()).containsExactly("other.md");
		assertThat(SimClient.text(this.client.get(files.get("other.md").get("raw_url").asString())))
			.isEqualTo("MARKER");
	}

	@Test
	void anActionOnAListingPageRunsOnceBeforeTheNextPageIsServed() {
		List<String> ran = new ArrayList<>();
		this.github.onListingPage("OctoCat", 1, () -> {
			ran.add("delete g4");
			this.github.deleteGist("octocat", "g4");
		});
		assertThat(ids(2, 1)).as("the page as it was when it was made").containsExactly("g4", "g3");
		assertThat(ran).containsExactly("delete g4");
		assertThat(ids(2, 2)).as("g2 slid back onto page 1, past the cursor").containsExactly("g1", "g0");
		assertThat(ids(2, 1)).containsExactly("g3", "g2");
		assertThat(ran).as("once").hasSize(1);
	}

	private List<String> ids(int perPage, int page) {
		HttpResponse<byte[]> response = this.client
			.get(this.github.apiUrl() + "/users/octocat/gists?per_page=" + perPage + "&page=" + page);
		assertThat(response.statusCode()).isEqualTo(200);
		List<String> ids = new ArrayList<>();
		SimClient.json(response).forEach((item) -> ids.add(item.get("id").asString()));
		return ids;
	}

	private JsonNode item(String gistId) {
		for (JsonNode item : SimClient
			.json(this.client.get(this.github.apiUrl() + "/users/octocat/gists?per_page=100"))) {
			if (item.get("id").asString().equals(gistId)) {
				return item;
			}
		}
		throw new AssertionError("No gist " + gistId + " listed");
	}

}
