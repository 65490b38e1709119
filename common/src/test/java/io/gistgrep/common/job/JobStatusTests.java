package io.gistgrep.common.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JobStatusTests {

	@ParameterizedTest
	@CsvSource({ "QUEUED,RUNNING", "QUEUED,FAILED", "QUEUED,CANCELLED", "RUNNING,SUCCEEDED", "RUNNING,FAILED",
			"RUNNING,CANCELLED" })
	void legalMovesReturnTheNewStatus(JobStatus from, JobStatus to) {
		assertThat(from.moveTo(to)).isEqualTo(to);
		assertThat(to.predecessors()).contains(from);
	}

	@ParameterizedTest
	@CsvSource({ "QUEUED,SUCCEEDED", "QUEUED,QUEUED", "RUNNING,QUEUED", "RUNNING,RUNNING", "SUCCEEDED,RUNNING",
			"SUCCEEDED,CANCELLED", "FAILED,SUCCEEDED", "CANCELLED,RUNNING" })
	void illegalMovesAreRefusedWithASentence(JobStatus from, JobStatus to) {
		assertThatExceptionOfType(IllegalJobTransitionException.class).isThrownBy(() -> from.moveTo(to))
			.withMessage("A job cannot change from " + from.value() + " to " + to.value())
			.satisfies((ex) -> {
				assertThat(ex.from()).isEqualTo(from);
				assertThat(ex.to()).isEqualTo(to);
			});
		assertThat(to.predecessors()).doesNotContain(from);
	}

	@ParameterizedTest
	@EnumSource(value = JobStatus.class, names = { "SUCCEEDED", "FAILED", "CANCELLED" })
	void aFinishedJobCannotMoveToAnyStatus(JobStatus status) {
		assertThat(status.isFinished()).isTrue();
		assertThat(status.successors()).isEmpty();
	}

	@Test
	void valuesRoundTripThroughTheirLowerCaseNames() {
		for (JobStatus status : JobStatus.values()) {
			assertThat(JobStatus.fromValue(status.value())).isEqualTo(status);
		}
		assertThat(JobStatus.RUNNING.value()).isEqualTo("running");
		assertThat(JobStatus.QUEUED.isFinished()).isFalse();
	}

}
