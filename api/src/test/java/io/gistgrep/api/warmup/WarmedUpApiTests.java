package io.gistgrep.api.warmup;

import java.util.UUID;

import io.gistgrep.api.RunningApi;
import io.gistgrep.api.job.SubmissionRehearsal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The api's warm-up on the real services: it ran at start-up without a failing step, and
 * a rehearsed submission leaves nothing a client or an operator would see.
 */
class WarmedUpApiTests extends RunningApi {

	@Autowired
	Warmup warmup;

	@Autowired
	SubmissionRehearsal rehearsal;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Test
	void theApiWarmedUpAtStartUpWithEveryStep() {
		assertThat(this.warmup.rounds()).isPositive();
		assertThat(this.warmup.failed()).as("the steps that failed against the real services").isEmpty();
	}

	@Test
	void aRehearsedSubmissionLeavesNoJobNoStartMessageAndNoCount() {
		double submitted = submitted();

		UUID job = this.rehearsal.round();

		assertThat(this.jdbc.sql("SELECT count(*) FROM jobs WHERE id = ?").param(job).query(Long.class).single())
			.as("the rehearsed job's row")
			.isZero();
		assertThat(this.jdbc.sql("SELECT count(*) FROM outbox WHERE payload LIKE ?")
			.param("%" + job + "%")
			.query(Long.class)
			.single()).as("outbox rows naming the rehearsed job").isZero();
		assertThat(submitted()).as("gistgrep.jobs.submitted").isEqualTo(submitted);
	}

	private double submitted() {
		Counter counter = this.meters.find("gistgrep.jobs.submitted").counter();
		return (counter != null) ? counter.count() : 0;
	}

}
