package io.gistgrep.scanner;

/**
 * {@link ScanPlan.Mode#FULL_IF_CANDIDATE}: matches may reach anywhere from a candidate,
 * so the engine searches the whole text, but only if the text has a candidate.
 */
final class FullIfCandidateMode implements SearchMode {

	@Override
	public void search(Haystack haystack) {
		byte[] b = haystack.bytes();
		if (haystack.plan().prefilter.find(b, 0, b.length) >= 0) {
			haystack.searchWhole(0);
		}
	}

}
