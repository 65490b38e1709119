package io.gistgrep.scanner;

/** {@link ScanPlan.Mode#FULL}: the engine searches the whole text, in one linear pass. */
final class FullMode implements SearchMode {

	@Override
	public void search(Haystack haystack) {
		haystack.searchWhole(0);
	}

}
