package io.gistgrep.api.warmup;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import io.gistgrep.api.job.SubmissionRehearsal;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The api's start-up warm-up, with a made-up rehearsal and no broker: what it runs, and
 * what stops it not. {@code WarmedUpApiTests} runs it on the real services.
 */
class WarmupTests {

	private final SubmissionRehearsal rehearsal = mock(SubmissionRehearsal.class);

	@Test
	void theWarmUpRehearsesSubmissionsUntilItsBudgetIsSpent() {
		Warmup warmup = warmup(Duration.ofMillis(50));

		long start = System.nanoTime();
		warmup.start();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
		assertThat(warmup.isRunning()).isTrue();
		assertThat(warmup.rounds()).isGreaterThan(1);
		verify(this.rehearsal, times(warmup.rounds())).round();
		assertThat(warmup.failed()).isEmpty();
	}

	@Test
	void everyStepRunsOnceHoweverSmallTheBudget() {
		Warmup warmup = warmup(Duration.ofNanos(1));

		warmup.start();

		assertThat(warmup.rounds()).isEqualTo(1);
		verify(this.rehearsal).round();
	}

	@Test
	void aStepThatFailsIsLeftOutAndDoesNotStopTheStart() {
		given(this.rehearsal.round()).willThrow(new IllegalStateException("PostgreSQL is away"));
		Warmup warmup = warmup(Duration.ofMillis(300));

		warmup.start();

		assertThat(warmup.isRunning()).isTrue();
		verify(this.rehearsal, times(1)).round();
		assertThat(warmup.failed()).containsExactly("rehearsed submission");
	}

	@Test
	void aStepThatHangsIsLeftBehindAfterTheStepLimit() throws Exception {
		CountDownLatch hung = new CountDownLatch(1);
		given(this.rehearsal.round()).willAnswer((invocation) -> {
			hung.await();
			return UUID.randomUUID();
		});
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of());
		Warmup warmup = new Warmup(new WarmupProperties(Duration.ofSeconds(1)), this.rehearsal,
				new JacksonJsonMessageConverter(), new GenericApplicationContext(),
				beans.getBeanProvider(AmqpAdmin.class), beans.getBeanProvider(ConnectionFactory.class),
				Duration.ofMillis(200));
		try {
			assertTimeoutPreemptively(Duration.ofSeconds(10), warmup::start, "a start held by a hung step");

			assertThat(warmup.isRunning()).isTrue();
			assertThat(warmup.failed()).containsExactly("rehearsed submission");
			verify(this.rehearsal, times(1)).round();
		}
		finally {
			hung.countDown();
		}
	}

	@Test
	void aBudgetOfZeroTurnsTheWarmUpOff() {
		Warmup warmup = warmup(Duration.ZERO);

		warmup.start();

		assertThat(warmup.isRunning()).isTrue();
		assertThat(warmup.rounds()).isZero();
		verify(this.rehearsal, never()).round();
	}

	@Test
	void aNegativeBudgetIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WarmupProperties(Duration.ofSeconds(-1)))
			.withMessageContaining("gistgrep.warmup.budget");
	}

	@Test
	void theWarmUpRunsAfterTheWebServerStarts() {
		assertThat(Warmup.PHASE).isGreaterThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
	}

	private Warmup warmup(Duration budget) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of());
		return new Warmup(new WarmupProperties(budget), this.rehearsal, new JacksonJsonMessageConverter(),
				new GenericApplicationContext(), beans.getBeanProvider(AmqpAdmin.class),
				beans.getBeanProvider(ConnectionFactory.class));
	}

}
