package io.gistgrep.sim;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class GistListingTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	@BeforeEach
	void addUsers() {
		this.github.addUser(SimUser.of("octocat", 583231,
				SimGist.of("aa01", "older", Instant.parse("2020-01-01T00:00:00Z"), SimFile.text("a.py", "print(1)\n")),
				new SimGist("aa02", null, Instant.parse("2021-06-01T10:00:00Z"), Instant.parse("2023-02-03T04:05:06Z"),
						List.of(SimFile.text("b.md", "# b\n"), SimFile.text("c", "c\n"))),
				SimGist.of("aa03", "middle", Instant.parse("2020-07-01T00:00:00Z"), SimFile.text("d.txt", "d\n"))));
		this.github.addUser(SimUser.of("empty-user", 99));
	}

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void listingFollowsLinkHeadersThroughUserIdUrls() {
		long userId = this.github.user("synthetic-250").orElseThrow().id();
		String url = this.github.apiUrl() + "/users/synthetic-250/gists?per_page=100";
		List<Integer> pageSizes = new ArrayList<>();
		List<Map<String, String>> pageLinks = new ArrayList<>();
		List<Instant> created = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		while (url != null) {
			HttpResponse<byte[]> page = this.client.get(url);
			assertThat(page.statusCode()).isEqualTo(200);
			JsonNode items = SimClient.json(page);
			pageSizes.add(items.size());
			items.forEach((item) -> {
				ids.add(item.get("id").asString());
				created.add(Instant.parse(item.get("created_at").asString()));
			});
			Map<String, String> links = SimClient.links(page);
			pageLinks.add(links);
			url = links.get("next");
		}
		String byId = this.github.apiUrl() + "/user/" + userId + "/gists?per_page=100&page=";
		assertThat(pageSizes).containsExactly(100, 100, 50);
		assertThat(pageLinks.get(0)).containsExactly(Map.entry("next", byId + 2), Map.entry("last", byId + 3));
		assertThat(pageLinks.get(1)).containsExactly(Map.entry("prev", byId + 1), Map.entry("next", byId + 3),
				Map.entry("last", byId + 3), Map.entry("first", byId + 1));
		assertThat(pageLinks.get(2)).containsExactly(Map.entry("prev", byId + 2), Map.entry("first", byId + 1));
		assertThat(ids).hasSize(250);
		assertThat(created).isSortedAccordingTo((a, b) -> b.compareTo(a));
		assertThat(this.github.counters().listRequests()).isEqualTo(3);
		assertThat(this.github.counters().requests("list", 200)).isEqualTo(3);
	}

	@Test
	void aListingThatFitsOnePageHasNoLinkHeader() {
		HttpResponse<byte[]> response = this.client.get(this.github.apiUrl() + "/users/octocat/gists?per_page=100");
		assertThat(SimClient.json(response)).hasSize(3);
		assertThat(response.headers().firstValue("link")).isEmpty();
	}

	@Test
	void perPageDefaultsToThirtyAndIsClampedAtOneHundred() {
		HttpResponse<byte[]> byDefault = this.client.get(this.github.apiUrl() + "/users/synthetic-250/gists");
		HttpResponse<byte[]> tooMany = this.client
			.get(this.github.apiUrl() + "/users/synthetic-250/gists?per_page=500");
		HttpResponse<byte[]> zero = this.client.get(this.github.apiUrl() + "/users/synthetic-250/gists?per_page=0");
		assertThat(SimClient.json(byDefault)).hasSize(30);
		assertThat(SimClient.links(byDefault).get("last")).endsWith("/gists?page=9");
		assertThat(SimClient.json(tooMany)).hasSize(100);
		assertThat(SimClient.links(tooMany).get("last")).endsWith("/gists?per_page=100&page=3");
		assertThat(SimClient.json(zero)).hasSize(30);
	}

	@Test
	void thePagePastTheLastIsAnEmptyArray() {
		HttpResponse<byte[]> response = this.client
			.get(this.github.apiUrl() + "/users/synthetic-250/gists?per_page=100&page=4");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(SimClient.text(response)).isEqualTo("[]");
	}

	@Test
	void anUnknownUserGetsGitHubsNotFoundBody() {
		HttpResponse<byte[]> response = this.client.get(this.github.apiUrl() + "/users/no-such-user/gists");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(SimClient.header(response, "content-type")).isEqualTo("application/json; charset=utf-8");
		assertThat(SimClient.text(response)).isEqualTo("{\"message\":\"Not Found\",\"documentation_url\":"
				+ "\"https://docs.github.com/rest/gists/gists#list-gists-for-a-user\",\"status\":\"404\"}");
		assertThat(this.client.get(this.github.apiUrl() + "/user/123456789/gists").statusCode()).isEqualTo(404);
		assertThat(this.github.counters().requests("list", 404)).isEqualTo(2);
	}

	@Test
	void aUserWithoutGistsGetsAnEmptyArray() {
		HttpResponse<byte[]> added = this.client.get(this.github.apiUrl() + "/users/empty-user/gists");
		HttpResponse<byte[]> synthetic = this.client.get(this.github.apiUrl() + "/users/synthetic-0/gists");
		assertThat(added.statusCode()).isEqualTo(200);
		assertThat(SimClient.text(added)).isEqualTo("[]");
		assertThat(added.headers().firstValue("link")).isEmpty();
		assertThat(SimClient.text(synthetic)).isEqualTo("[]");
	}

	@Test
	void listedGistsHoldGitHubsFieldsAndNoContent() {
		JsonNode items = SimClient.json(this.client.get(this.github.apiUrl() + "/users/octocat/gists"));
		JsonNode gist = items.get(0);
		assertThat(gist.propertyNames()).containsExactly("url", "forks_url", "commits_url", "id", "node_id",
				"git_pull_url", "git_push_url", "html_url", "files", "public", "created_at", "updated_at",
				"description", "comments", "user", "comments_url", "owner", "truncated");
		assertThat(gist.get("id").asString()).isEqualTo("aa02");
		assertThat(gist.get("url").asString()).isEqualTo(this.github.apiUrl() + "/gists/aa02");
		assertThat(gist.get("html_url").asString()).isEqualTo("https://gist.github.com/octocat/aa02");
		assertThat(gist.get("created_at").asString()).isEqualTo("2021-06-01T10:00:00Z");
		assertThat(gist.get("updated_at").asString()).isEqualTo("2023-02-03T04:05:06Z");
		assertThat(gist.get("description").isNull()).isTrue();
		assertThat(gist.get("public").asBoolean()).isTrue();
		assertThat(gist.get("user").isNull()).isTrue();
		JsonNode owner = gist.get("owner");
		assertThat(owner.get("login").asString()).isEqualTo("octocat");
		assertThat(owner.get("id").asLong()).isEqualTo(583231);
		assertThat(owner.get("type").asString()).isEqualTo("User");
		assertThat(gist.get("files").propertyNames()).containsExactly("b.md", "c");
		JsonNode markdown = gist.get("files").get("b.md");
		assertThat(markdown.propertyNames()).containsExactly("filename", "type", "language", "raw_url", "size");
		assertThat(markdown.get("language").asString()).isEqualTo("Markdown");
		assertThat(markdown.get("size").asInt()).isEqualTo(4);
		assertThat(gist.get("files").get("c").get("language").isNull()).isTrue();
	}

	@Test
	void gistsAreListedNewestCreatedFirst() {
		JsonNode items = SimClient.json(this.client.get(this.github.apiUrl() + "/users/octocat/gists"));
		assertThat(items.values()).extracting((item) -> item.get("id").asString())
			.containsExactly("aa02", "aa03", "aa01");
	}

	@Test
	void sinceKeepsOnlyGistsUpdatedAtOrAfterIt() {
		JsonNode items = SimClient
			.json(this.client.get(this.github.apiUrl() + "/users/octocat/gists?since=2020-07-01T00:00:00Z"));
		assertThat(items.values()).extracting((item) -> item.get("id").asString()).containsExactly("aa02", "aa03");
	}

	@Test
	void sinceIsKeptInPaginationLinks() {
		HttpResponse<byte[]> response = this.client
			.get(this.github.apiUrl() + "/users/synthetic-250/gists?per_page=10&since=2025-05-01T00:00:00Z");
		assertThat(SimClient.links(response).get("next")).contains("per_page=10&since=2025-05-01T00%3A00%3A00Z&page=2");
		HttpResponse<byte[]> next = this.client.get(SimClient.links(response).get("next"));
		SimClient.json(next)
			.forEach((item) -> assertThat(Instant.parse(item.get("updated_at").asString()))
				.isAfterOrEqualTo(Instant.parse("2025-05-01T00:00:00Z")));
		assertThat(SimClient.json(next)).hasSize(10);
	}

	@Test
	void loginsMatchIgnoringCase() {
		HttpResponse<byte[]> response = this.client.get(this.github.apiUrl() + "/users/OctoCat/gists");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(SimClient.json(response).get(0).get("owner").get("login").asString()).isEqualTo("octocat");
		assertThat(this.github.user("OCTOCAT")).hasValueSatisfying((user) -> assertThat(user.id()).isEqualTo(583231));
	}

	@Test
	void everyApiResponseCarriesGitHubsCachingHeaders() {
		HttpResponse<byte[]> response = this.client.get(this.github.apiUrl() + "/users/octocat/gists");
		assertThat(SimClient.header(response, "etag")).matches("W/\"[0-9a-f]{64}\"");
		assertThat(SimClient.header(response, "cache-control")).isEqualTo("private, max-age=60, s-maxage=60");
		assertThat(SimClient.header(response, "vary")).isEqualTo("Accept, Authorization, Cookie");
		assertThat(SimClient.header(response, "server")).isEqualTo("github-sim");
	}

}
