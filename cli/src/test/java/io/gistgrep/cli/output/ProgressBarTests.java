package io.gistgrep.cli.output;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTests {

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private final ProgressBar bar = new ProgressBar(new PrintStream(this.bytes, true, StandardCharsets.UTF_8), 120,
			ZoneId.of("Europe/Paris"));

	@Test
	void aQueuedJobShowsItsWaitAndTheTime() {
		assertThat(this.bar.line(job("queued", null, 0, 0, 0, 0, null), Duration.ofSeconds(1)))
			.isEqualTo("queued · 0:01");
	}

	@Test
	void whileTheListingRunsTheScannedGistsAreCountedWithoutATotal() {
		assertThat(this.bar.line(job("running", null, 120, 7, 0, 0, null), Duration.ofSeconds(3)))
			.isEqualTo("listing gists… 120 scanned · 7 matched · 0:03");
	}

	@Test
	void withATotalTheBarFillsWithTheGistsDone() {
		assertThat(this.bar.line(job("running", 250, 120, 7, 5, 0, null), Duration.ofSeconds(72)))
			.isEqualTo("[██████████░░░░░░░░░░] 125/250 gists · 7 matched · 5 skipped · 1:12");
	}

	@Test
	void aJobParkedOnGitHubSaysUntilWhenInLocalTime() {
		assertThat(this.bar.line(job("running", 10, 0, 0, 0, 2, "2026-12-01T13:05:12Z"), Duration.ofSeconds(3725)))
			.isEqualTo("[████░░░░░░░░░░░░░░░░] 2/10 gists · 0 matched · 2 failed · 1:02:05"
					+ " · waiting for GitHub until 14:05:12");
	}

	@Test
	void theLineIsCutToTheTerminalSoThatItNeverWraps() {
		ProgressBar narrow = new ProgressBar(new PrintStream(this.bytes, true, StandardCharsets.UTF_8), 30,
				ZoneId.of("UTC"));

		assertThat(narrow.line(job("running", 250, 120, 7, 0, 0, null), Duration.ZERO)).hasSize(29);
	}

	@Test
	void withoutUnicodeTheBarIsAscii() {
		ProgressBar ascii = new ProgressBar(new PrintStream(this.bytes, true, StandardCharsets.US_ASCII), 120,
				ZoneId.of("UTC"));

		assertThat(ascii.line(job("running", 4, 2, 1, 0, 0, null), Duration.ZERO))
			.isEqualTo("[##########----------] 2/4 gists - 1 matched - 0:00");
	}

	@Test
	void itRedrawsInPlaceOnlyWhenTheLineChangesAndClearsItselfAway() {
		JsonNode job = job("running", 4, 2, 1, 0, 0, null);
		this.bar.show(job, Duration.ZERO);
		this.bar.show(job, Duration.ofMillis(900));
		this.bar.show(job("running", 4, 3, 1, 0, 0, null), Duration.ofMillis(950));
		this.bar.clear();

		assertThat(this.bytes.toString(StandardCharsets.UTF_8))
			.isEqualTo("\r[██████████░░░░░░░░░░] 2/4 gists · 1 matched · 0:00\u001b[K"
					+ "\r[███████████████░░░░░] 3/4 gists · 1 matched · 0:00\u001b[K" + "\r\u001b[K");
	}

	private static JsonNode job(String status, Integer total, int scanned, int matched, int skipped, int failed,
			String waitingUntil) {
		var progress = JsonMapper.builder().build().createObjectNode();
		progress.put("gists_total", total);
		progress.put("gists_scanned", scanned);
		progress.put("gists_matched", matched);
		progress.put("gists_skipped", skipped);
		progress.put("gists_failed", failed);
		progress.put("waiting_for_github_until", waitingUntil);
		var job = JsonMapper.builder().build().createObjectNode();
		job.put("status", status);
		job.set("progress", progress);
		return job;
	}

}
