package io.gistgrep.api.warmup;

import java.util.UUID;

import io.gistgrep.api.RunningApi;
import io.gistgrep.api.job.SubmissionRehearsal;
import io.gistgrep.messaging.BrokerExercise;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The api's warm-up on the real services: it ran every step at start-up without a
 * failure, left no meter behind, and a rehearsed submission leaves nothing a client or an
 * operator would see.
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
		assertThat(this.rehearsal.rounds()).as("rehearsed submissions").isGreaterThanOrEqualTo(this.warmup.rounds());
		assertThat(this.warmup.brokerTasks()).as("start tasks sent through the broker and back")
			.isEqualTo(this.warmup.rounds() * BrokerExercise.TASKS);
		assertThat(this.meters.getMeters()).as("meters of the warm-up's observed publishes")
			.noneMatch((meter) -> meter.getId()
				.getTags()
				.stream()
				.anyMatch((tag) -> tag.getValue().startsWith(BrokerExercise.QUEUE_PREFIX)));
	}

	@Test
	void aRehearsedSubmissionLeavesNoJobNoStartMessageAndNothingInTheLogContext() {
		MDC.clear();

		UUID job = this.rehearsal.round();

		assertThat(this.jdbc.sql("SELECT count(*) FROM jobs WHERE id = ?").param(job).query(Long.class).single())
			.as("the rehearsed job's row")
			.isZero();
		assertThat(this.jdbc.sql("SELECT count(*) FROM outbox WHERE payload LIKE ?")
			.param("%" + job + "%")
			.query(Long.class)
			.single()).as("outbox rows naming the rehearsed job").isZero();
		assertThat(MDC.getCopyOfContextMap()).as("the log context of the thread that rehearsed").isNullOrEmpty();
	}

}
