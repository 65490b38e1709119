package io.gistgrep.worker.github;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CachedContentsTests {

	private static final int MB = 1024 * 1024;

	@Test
	void aBatchKeepsFetchedContentsForItsEndUpToFourMegabytesAndPastThatTheyAreWrittenAtOnce() {
		CachedContents batch = new CachedContents(Set.of(), Map.of(), true);

		assertThat(batch.defer("a", new byte[3 * MB])).isTrue();
		assertThat(batch.defer("b", new byte[2 * MB])).as("over 4 MB waiting: written at once").isFalse();
		assertThat(batch.defer("c", new byte[MB])).isTrue();
		assertThat(batch.drain()).containsOnlyKeys("a", "c");
		assertThat(batch.drain()).as("handed over once").isEmpty();
		assertThat(batch.defer("b", new byte[2 * MB])).as("room again after the write").isTrue();
	}

	@Test
	void withoutABatchNothingWaitsAndEveryFileIsAskedOfTheCacheOnItsOwn() {
		CachedContents none = CachedContents.none();

		assertThat(none.defer("a", new byte[1])).isFalse();
		assertThat(none.asked("a")).isFalse();
		assertThat(none.drain()).isEmpty();
	}

	@Test
	void aFileAskedUpFrontIsAnsweredFromWhatTheCacheHadEvenWhenItHadNothing() {
		CachedContents batch = new CachedContents(Set.of("a", "b"), Map.of("a", new byte[] { 1 }), true);

		assertThat(batch.asked("b")).isTrue();
		assertThat(batch.found("b")).isEmpty();
		assertThat(batch.found("a")).hasValueSatisfying((content) -> assertThat(content).containsExactly(1));
		assertThat(batch.asked("c")).isFalse();
	}

}
