package io.gistgrep.scanner;

/**
 * {@link ScanPlan.Mode#LINES}: no match can cross a newline, so the engine searches each
 * candidate's line, and only when the line holds the plan's other required literals too.
 */
final class LinesMode extends RegionMode {

	@Override
	public void search(Haystack haystack) {
		byte[] b = haystack.bytes();
		int n = b.length;
		Prefilter prefilter = haystack.plan().prefilter;
		int regionStart = -1;
		int regionEnd = -1;
		int p = prefilter.find(b, 0, n);
		while (p >= 0) {
			int start = Haystack.lineStart(b, p, regionEnd + 1);
			int end = Haystack.lineEnd(b, p);
			if (regionStart >= 0) {
				searchRegion(haystack, regionStart, regionEnd);
			}
			regionStart = start;
			regionEnd = end;
			int next = end + 1;
			p = (next < n) ? prefilter.find(b, next, n) : -1;
		}
		if (regionStart >= 0) {
			searchRegion(haystack, regionStart, regionEnd);
		}
	}

	@Override
	boolean admits(Haystack haystack, int start, int end) {
		for (Prefilter also : haystack.plan().alsoRequired) {
			if (also.find(haystack.bytes(), start, end) < 0) {
				return false;
			}
		}
		return true;
	}

}
