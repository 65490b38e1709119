package io.gistgrep.sim;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FixtureTests {

	private final GitHubSim github = GitHubSim.start(SimOptions.defaults());

	private final SimClient client = new SimClient();

	@AfterEach
	void close() {
		this.client.close();
		this.github.close();
	}

	@Test
	void onlyTheChallengeGistMatchesTheFlagPattern() {
		this.github.loadFixtureResource("fixtures/justdionysus.json");
		Pattern flag = Pattern.compile("TerbiumLabsChallenge_[0-9]+");
		Set<String> matching = new TreeSet<>();
		Set<String> nearMisses = new TreeSet<>();
		for (JsonNode gist : SimClient
			.json(this.client.get(this.github.apiUrl() + "/users/justdionysus/gists?per_page=100"))) {
			for (JsonNode file : gist.get("files")) {
				String content = SimClient.text(this.client.get(file.get("raw_url").asString()));
				if (flag.matcher(content).find()) {
					matching.add(gist.get("html_url").asString());
				}
				else if (content.toLowerCase().contains("terbiumlabs")) {
					nearMisses.add(gist.get("id").asString());
				}
			}
		}
		assertThat(matching).containsExactly("https://gist.github.com/justdionysus/6b2972aa971dd605f524");
		assertThat(nearMisses).hasSizeGreaterThanOrEqualTo(3);
	}

	@Test
	void fixturesDescribeTextBinaryAndRepeatedContent() {
		String fixture = """
				{"users": [{"login": "fixture-user", "id": 42, "gists": [
				  {"id": "abc123", "description": "d", "created_at": "2015-01-02T03:04:05Z",
				   "files": [
				     {"filename": "a.py", "content": "print('ä')\\n"},
				     {"filename": "blob.bin", "content_base64": "AAEC/w=="},
				     {"filename": "big.txt", "repeat": {"text": "abc", "bytes": 10}, "append": "END"},
				     {"filename": "odd.txt", "language": null, "type": "text/x-odd", "content": "x"}]}]}]}
				""";
		this.github.loadFixtures(new ByteArrayInputStream(fixture.getBytes(StandardCharsets.UTF_8)));
		SimUser user = this.github.user("fixture-user").orElseThrow();
		SimGist gist = user.gists().get(0);
		List<SimFile> files = gist.files();
		assertThat(user.id()).isEqualTo(42);
		assertThat(gist.updatedAt()).isEqualTo(gist.createdAt());
		assertThat(new String(files.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("print('ä')\n");
		assertThat(files.get(0).language()).isEqualTo("Python");
		assertThat(files.get(1).content()).containsExactly(0, 1, 2, 0xff);
		assertThat(new String(files.get(2).content(), StandardCharsets.US_ASCII)).isEqualTo("abcabcabcaEND");
		assertThat(files.get(3).language()).isNull();
		assertThat(files.get(3).type()).isEqualTo("text/x-odd");
	}

	@Test
	void fixturesLoadFromFiles(@TempDir Path directory) throws Exception {
		Path fixture = directory.resolve("users.json");
		Files.writeString(fixture, """
				{"users": [{"login": "from-file", "id": 7, "gists": []}]}
				""");
		this.github.loadFixtures(fixture);
		assertThat(this.client.get(this.github.apiUrl() + "/users/from-file/gists").statusCode()).isEqualTo(200);
	}

	@Test
	void anIncompleteFixtureIsRejectedWithItsPlace() {
		String fixture = """
				{"users": [{"login": "broken", "id": 1, "gists": [{"id": "g1", "created_at": "2015-01-01T00:00:00Z",
				  "files": [{"filename": "nothing.txt"}]}]}]}
				""";
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> this.github.loadFixtures(new ByteArrayInputStream(fixture.getBytes(StandardCharsets.UTF_8))))
			.withMessageContaining("broken")
			.withMessageContaining("nothing.txt");
		assertThat(this.github.user("broken")).isEmpty();
	}

	@Test
	void theBuiltInFixtureHoldsABigFileAndAnAwkwardName() {
		this.github.loadFixtureResource("classpath:fixtures/justdionysus.json");
		List<String> names = new ArrayList<>();
		this.github.user("justdionysus")
			.orElseThrow()
			.gists()
			.forEach((gist) -> gist.files().forEach((file) -> names.add(file.filename() + ":" + file.size())));
		assertThat(names).contains("notes über 2.txt:125", "server.log:1500046");
	}

}
