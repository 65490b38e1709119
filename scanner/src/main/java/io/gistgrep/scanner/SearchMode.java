package io.gistgrep.scanner;

/**
 * How one file is searched under a {@link ScanPlan.Mode}: one implementation per mode,
 * each holding that mode's loop. Implementations keep no state between files.
 */
sealed interface SearchMode permits FullMode, FullIfCandidateMode, LiteralsMode, RegionMode, AnchoredMode {

	void search(Haystack haystack);

}
