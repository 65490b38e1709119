package io.gistgrep.worker.warmup;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.db.job.JobRepository;
import io.gistgrep.scanner.ScanLimits;
import io.gistgrep.scanner.SearchPattern;
import io.gistgrep.worker.scan.ScanRehearsal;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The start-up warm-up, on made-up collaborators: what it runs, and what stops it not.
 */
class WarmupTests {

	private final JobRepository jobs = mock(JobRepository.class);

	private final RedisConnectionFactory redis = mock(RedisConnectionFactory.class);

	@Test
	void theWarmUpRunsEveryStepAndAFailingStepDoesNotStopTheStart() {
		given(this.redis.getConnection()).willThrow(new RedisConnectionFailureException("Redis is away"));
		Warmup warmup = warmup(Duration.ofMillis(200));

		warmup.start();

		assertThat(warmup.isRunning()).isTrue();
		verify(this.jobs, atLeast(Warmup.JDBC_READS)).status(any(UUID.class));
		verify(this.redis, times(8)).getConnection();
	}

	@Test
	void withRedisAwayTheWarmUpRehearsesNoJob() throws Exception {
		given(this.redis.getConnection()).willThrow(new RedisConnectionFailureException("Redis is away"));
		ScanRehearsal rehearsal = mock(ScanRehearsal.class);
		StaticListableBeanFactory beans = new StaticListableBeanFactory(
				Map.of("redis", this.redis, "redisProperties", new DataRedisProperties(), "rehearsal", rehearsal));
		Warmup warmup = new Warmup(new WarmupProperties(Duration.ofMillis(100)), new JacksonJsonMessageConverter(),
				this.jobs, beans.getBeanProvider(RedisConnectionFactory.class),
				beans.getBeanProvider(DataRedisProperties.class), beans.getBeanProvider(ScanRehearsal.class),
				beans.getBeanProvider(AmqpAdmin.class), beans.getBeanProvider(ConnectionFactory.class),
				new GenericApplicationContext());

		warmup.start();

		verify(rehearsal, never()).open();
		verify(this.jobs, atLeast(Warmup.JDBC_READS)).status(any(UUID.class));
	}

	@Test
	void aStepThatFailsIsLeftOutOfTheLaterRounds() {
		given(this.jobs.status(any(UUID.class))).willThrow(new IllegalStateException("PostgreSQL is away"));
		Warmup warmup = warmup(Duration.ofMillis(300));

		warmup.start();

		verify(this.jobs, times(1)).status(any(UUID.class));
	}

	@Test
	void aBudgetOfZeroTurnsTheWarmUpOff() {
		Warmup warmup = warmup(Duration.ZERO);

		warmup.start();

		assertThat(warmup.isRunning()).isTrue();
		verifyNoInteractions(this.jobs, this.redis);
	}

	@Test
	void aNegativeBudgetIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WarmupProperties(Duration.ofSeconds(-1)))
			.withMessageContaining("gistgrep.warmup.budget");
	}

	@Test
	void theWarmUpRunsAfterTheWebServerStartsAndBeforeTheListenersDo() {
		assertThat(Warmup.PHASE).isLessThan(new RabbitListenerEndpointRegistry().getPhase())
			.isGreaterThan(SmartLifecycle.DEFAULT_PHASE - 2048);
	}

	@Test
	void theScannerExerciseCompilesEveryPatternAndFindsMatches() {
		ScannerExercise exercise = new ScannerExercise(ScanLimits.DEFAULTS);
		ScannerExercise.PATTERNS.forEach(SearchPattern::compile);

		exercise.pass();

		assertThat(exercise.bytesScanned()).isGreaterThan(50_000);
		assertThat(exercise.matchedFiles()).isPositive()
			.as("the binary file is never a match")
			.isLessThan(ScannerExercise.PATTERNS.size() * 4);
	}

	private Warmup warmup(Duration budget) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory(
				Map.of("redis", this.redis, "redisProperties", new DataRedisProperties()));
		return new Warmup(new WarmupProperties(budget), new JacksonJsonMessageConverter(), this.jobs,
				beans.getBeanProvider(RedisConnectionFactory.class), beans.getBeanProvider(DataRedisProperties.class),
				beans.getBeanProvider(ScanRehearsal.class), beans.getBeanProvider(AmqpAdmin.class),
				beans.getBeanProvider(ConnectionFactory.class), new GenericApplicationContext());
	}

}
