package io.gistgrep.scanner;

/**
 * {@link ScanPlan.Mode#WINDOWS}: matches reach a bounded distance around a candidate, so
 * the engine searches that window, widened to whole lines and merged with the windows it
 * overlaps.
 */
final class WindowsMode extends RegionMode {

	@Override
	public void search(Haystack haystack) {
		byte[] b = haystack.bytes();
		int n = b.length;
		ScanPlan plan = haystack.plan();
		Prefilter prefilter = plan.prefilter;
		int regionStart = -1;
		int regionEnd = -1;
		int p = prefilter.find(b, 0, n);
		while (p >= 0) {
			long from = Math.max(0L, (long) p - plan.beforeBytes);
			long to = Math.min(n, (long) p + prefilter.width() + plan.afterBytes);
			if (regionStart >= 0 && from <= regionEnd) {
				if (to > regionEnd) {
					regionEnd = Haystack.lineEnd(b, (int) to);
				}
			}
			else {
				if (regionStart >= 0) {
					searchRegion(haystack, regionStart, regionEnd);
				}
				regionStart = Haystack.lineStart(b, (int) from, regionEnd + 1);
				regionEnd = Haystack.lineEnd(b, Math.max((int) to, regionStart));
			}
			int next = p + 1;
			p = (next < n) ? prefilter.find(b, next, n) : -1;
		}
		if (regionStart >= 0) {
			searchRegion(haystack, regionStart, regionEnd);
		}
	}

}
