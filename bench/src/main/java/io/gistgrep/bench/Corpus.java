package io.gistgrep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark corpus: generated from a fixed seed into {@code bench/corpus/} (which git
 * ignores), again whenever the generator or its settings change.
 */
final class Corpus {

	static final long SEED = 4;

	static final long MEGABYTES = 210;

	private static final String STAMP = ".generated";

	private Corpus() {
	}

	/**
	 * Generates the corpus in {@code dir} unless it is there already, as this generator
	 * makes it.
	 */
	static void ensure(Path dir) throws IOException {
		String stamp = "version=" + CorpusGenerator.VERSION + " seed=" + SEED + " megabytes=" + MEGABYTES;
		Path stampFile = dir.resolve(STAMP);
		if (Files.exists(stampFile) && Files.readString(stampFile).equals(stamp)) {
			return;
		}
		System.out.printf("Generating the corpus in %s (%d MB, seed %d)...%n", dir, MEGABYTES, SEED);
		if (Files.exists(dir)) {
			try (Stream<Path> old = Files.list(dir)) {
				for (Path p : old.toList()) {
					Files.delete(p);
				}
			}
		}
		CorpusGenerator.generate(dir, SEED, MEGABYTES * 1024 * 1024);
		Files.writeString(stampFile, stamp);
	}

	static List<Path> files(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter((p) -> !p.getFileName().toString().startsWith("."))
				.sorted(Comparator.naturalOrder())
				.toList();
		}
	}

	static List<byte[]> load(Path dir) throws IOException {
		List<byte[]> contents = new ArrayList<>();
		for (Path p : files(dir)) {
			contents.add(Files.readAllBytes(p));
		}
		return contents;
	}

	static long bytes(List<byte[]> files) {
		return files.stream().mapToLong((b) -> b.length).sum();
	}

}
