package io.gistgrep.scanner;

/**
 * {@link ScanPlan.Mode#LITERALS}: the prefilter's finds are the matches, and only which
 * literal fits is left to tell; the regex engine is not needed.
 */
final class LiteralsMode implements SearchMode {

	@Override
	public void search(Haystack haystack) {
		ScanPlan plan = haystack.plan();
		Found found = haystack.found();
		byte[] b = haystack.bytes();
		int n = b.length;
		int p = plan.prefilter.find(b, 0, n);
		while (p >= 0) {
			int next = p + 1;
			for (Needle needle : plan.literals) {
				if (p + needle.length() <= n && needle.isAt(b, p)) {
					found.addBytes(p, p + needle.length());
					next = p + needle.length();
					break;
				}
			}
			if ((found.count() & 1023) == 0) {
				ScanTimeoutException.check(haystack.deadline());
			}
			p = (next < n) ? plan.prefilter.find(b, next, n) : -1;
		}
	}

}
