package io.gistgrep.worker.github;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ListedGistTests {

	// Jackson 3's defaults, which refuse a null or missing primitive.
	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aGistWithoutTruncatedAndAFileWithANullSizeAreStillBound() {
		ListedGist gist = this.json.readValue(
				"""
						{"id": "aa5a315d", "html_url": "https://gist.github.com/aa5a315d", "description": null,
						 "files": {"hello.py": {"filename": "hello.py", "raw_url": "https://gist.githubusercontent.com/o/aa5a315d/raw/1/hello.py",
						                        "size": null},
						           "notes": {"raw_url": "https://gist.githubusercontent.com/o/aa5a315d/raw/2/notes"},
						           "gone": null}}""",
				ListedGist.class);

		assertThat(gist.truncated()).isFalse();
		assertThat(gist.files()).containsOnlyKeys("hello.py", "notes");
		assertThat(gist.files().get("hello.py").size()).isZero();
		assertThat(gist.files().get("notes").filename()).isEqualTo("notes");
		assertThat(gist.files().get("notes").size()).isZero();
	}

	@Test
	void aTruncatedGistSaysSo() {
		ListedGist gist = this.json.readValue(
				"""
						{"id": "b", "html_url": "https://gist.github.com/b", "truncated": true,
						 "files": {"a.txt": {"filename": "a.txt", "raw_url": "https://gist.githubusercontent.com/o/b/raw/1/a.txt",
						                     "size": 12}}}""",
				ListedGist.class);

		assertThat(gist.truncated()).isTrue();
		assertThat(gist.files().get("a.txt").size()).isEqualTo(12);
	}

}
