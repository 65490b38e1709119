package io.gistgrep.bench.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results: one row per case, notes, and the markdown file made of them. */
final class Report {

	/**
	 * One line of the table.
	 *
	 * @param name the case
	 * @param target the target of issue 13
	 * @param measured what this run measured
	 * @param reference the reference measured in the same run
	 * @param verdict {@code met}, {@code NOT met} or {@code -}
	 * @param check the correctness check of the jobs behind the figure
	 */
	record Row(String name, String target, String measured, String reference, String verdict, String check) {
	}

	final List<Row> rows = new ArrayList<>();

	final Map<String, List<String>> sections = new LinkedHashMap<>();

	final List<String> failures = new ArrayList<>();

	/** A warning about a busy machine for the top of the file, or empty. */
	String busyWarning = "";

	void row(String name, String target, String measured, String reference, boolean met, String check) {
		this.rows.add(new Row(name, target, measured, reference, met ? "met" : "**NOT met**",
				check.isEmpty() ? "ok" : "**WRONG: " + check + "**"));
		if (!check.isEmpty()) {
			this.failures.add(name + ": " + check);
		}
	}

	void note(String section, String line) {
		this.sections.computeIfAbsent(section, (s) -> new ArrayList<>()).add(line);
	}

	String table() {
		StringBuilder table = new StringBuilder();
		table.append("| case | target | measured | reference (same run) | verdict | result check |\n");
		table.append("|---|---|---|---|---|---|\n");
		for (Row row : this.rows) {
			table.append("| ")
				.append(String.join(" | ", row.name(), row.target(), row.measured(), row.reference(), row.verdict(),
						row.check()))
				.append(" |\n");
		}
		return table.toString();
	}

	/** The median of {@code values}; of an even count, the mean of the middle two. */
	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
