package io.gistgrep.db.secret;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.gistgrep.common.job.Job;
import io.gistgrep.common.secret.SecretBox;
import io.gistgrep.common.secret.SecretDecryptionException;
import io.gistgrep.common.webhook.WebhookSignatures;
import io.gistgrep.db.idempotency.IdempotencyRepository;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class SecretsAtRestTests {

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Autowired
	JobRepository jobs;

	@Autowired
	IdempotencyRepository idempotency;

	@Autowired
	SecretsAtRest secretsAtRest;

	@Autowired
	SecretBox box;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aWebhookSecretIsNotReadableInTheDatabase() {
		String secret = WebhookSignatures.newSecret();
		Job job = newJob(secret);

		String stored = storedSecret(job.id());

		assertThat(stored).startsWith("v1:" + this.box.keyId() + ":")
			.doesNotContain(secret)
			.doesNotContain(secret.substring("whsec_".length(), 20));
		SecretBox withTheKey = SecretBox.of(TestServices.get().properties().get("gistgrep.secrets.key"), List.of());
		assertThat(withTheKey.decrypt(stored)).isEqualTo(secret);
		assertThatExceptionOfType(SecretDecryptionException.class)
			.isThrownBy(() -> new SecretBox(newKey(), List.of()).decrypt(stored))
			.withMessageContaining("neither the current key")
			.withMessageNotContaining(secret);
		assertThat(this.jobs.find(job.id()).orElseThrow().webhook())
			.isEqualTo(new Job.Webhook(job.webhook().url(), secret));
	}

	@Test
	void anIdempotencyAnswerHoldingASecretIsNotReadableInTheDatabase() {
		String secret = WebhookSignatures.newSecret();
		Job job = newJob(secret);
		String key = "k-" + UUID.randomUUID();
		String answer = "{\"id\":\"" + job.id() + "\",\"webhook\":{\"secret\":\"" + secret + "\"}}";
		this.idempotency.claim("public", key, "hash", Duration.ofHours(1), Duration.ofMinutes(1));
		this.idempotency.complete("public", key, job.id(), answer);

		String stored = this.jdbc
			.sql("SELECT response_body FROM idempotency_keys WHERE tenant = 'public' AND key = :key")
			.param("key", key)
			.query(String.class)
			.single();

		assertThat(stored).startsWith("v1:").doesNotContain(secret);
		assertThat(this.idempotency.find("public", key).orElseThrow().responseBody()).isEqualTo(answer);
	}

	@Test
	void secretsStoredInPlainTextBeforeTheUpgradeAreEncryptedOnceAtStartUp() {
		String secret = WebhookSignatures.newSecret();
		Job job = newJob(secret);
		this.jdbc.sql("UPDATE jobs SET webhook_secret = :secret WHERE id = :id")
			.param("secret", secret)
			.param("id", job.id())
			.update();
		assertThat(this.jobs.find(job.id()).orElseThrow().webhook().secret()).as("legacy rows still read")
			.isEqualTo(secret);

		SecretsAtRest.Result first = this.secretsAtRest.encryptAll();
		SecretsAtRest.Result second = this.secretsAtRest.encryptAll();

		assertThat(first.encrypted()).isGreaterThanOrEqualTo(1);
		assertThat(second.encrypted()).isZero();
		assertThat(storedSecret(job.id())).startsWith("v1:" + this.box.keyId() + ":").doesNotContain(secret);
		assertThat(this.jobs.find(job.id()).orElseThrow().webhook().secret()).isEqualTo(secret);
		assertThat(this.jdbc.sql("SELECT count(*) FROM jobs WHERE webhook_secret NOT LIKE 'v1:%'")
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void afterARotationStartUpReencryptsUnderTheNewKeyWithThePreviousOne() {
		String secret = WebhookSignatures.newSecret();
		Job job = newJob(secret);
		byte[] current = SecretBox.decodeKey(TestServices.get().properties().get("gistgrep.secrets.key"), "key");
		byte[] next = newKey();
		SecretBox rotated = new SecretBox(next, List.of(current));
		try {
			SecretsAtRest.Result result = new SecretsAtRest(this.jdbc, rotated).encryptAll();

			assertThat(result.encrypted()).isGreaterThanOrEqualTo(1);
			assertThat(result.undecryptable()).isEmpty();
			String stored = storedSecret(job.id());
			assertThat(rotated.isCurrent(stored)).isTrue();
			assertThat(rotated.decrypt(stored)).isEqualTo(secret);
		}
		finally {
			// Rotated back, so that this run's other tests read every row.
			new SecretsAtRest(this.jdbc, new SecretBox(current, List.of(next))).encryptAll();
		}
	}

	@Test
	void aSecretUnderAnUnknownKeyIsLeftAsItIsAndReported() {
		Job job = newJob(WebhookSignatures.newSecret());
		String foreign = new SecretBox(newKey(), List.of()).encrypt("whsec_foreign");
		this.jdbc.sql("UPDATE jobs SET webhook_secret = :secret WHERE id = :id")
			.param("secret", foreign)
			.param("id", job.id())
			.update();
		try {
			SecretsAtRest.Result result = this.secretsAtRest.encryptAll();

			assertThat(result.undecryptable()).anySatisfy((entry) -> assertThat(entry).contains(job.id().toString())
				.contains("GISTGREP_SECRETS_PREVIOUS_KEYS")
				.doesNotContain("whsec_foreign"));
			assertThat(storedSecret(job.id())).isEqualTo(foreign);
			// Reading the job still works (the api never needs the secret); only a
			// delivery
			// would, and it records the failure.
			assertThat(this.jobs.find(job.id()).orElseThrow().webhook())
				.isEqualTo(new Job.Webhook(job.webhook().url(), null));
		}
		finally {
			this.jdbc.sql("DELETE FROM jobs WHERE id = :id").param("id", job.id()).update();
		}
	}

	@Test
	void anAppWithoutAKeyDoesNotStartAndSaysHowToMakeOne() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withUserConfiguration(SecretsConfiguration.class);

		runner.run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("GISTGREP_SECRETS_KEY")
			.hasMessageContaining("is not set")
			.hasMessageContaining("openssl rand -base64 32"));
		runner.withPropertyValues("gistgrep.secrets.key=" + Base64.getEncoder().encodeToString(new byte[16]))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("exactly 32 bytes, not 16"));
		runner
			.withPropertyValues("gistgrep.secrets.key=" + Base64.getEncoder().encodeToString(newKey()),
					"gistgrep.secrets.previous-keys=nope")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("GISTGREP_SECRETS_PREVIOUS_KEYS"));
		runner
			.withPropertyValues("gistgrep.secrets.key=" + Base64.getEncoder().encodeToString(newKey()),
					"gistgrep.secrets.previous-keys=" + Base64.getEncoder().encodeToString(newKey()) + ","
							+ Base64.getEncoder().encodeToString(newKey()))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SecretBox.class));
	}

	@Test
	void aStartUpThatFailsOnABadKeyDoesNotLogTheKey(CapturedOutput output) {
		String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(newKey(), 31));
		SpringApplicationBuilder app = new SpringApplicationBuilder(SecretsConfiguration.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off");

		assertThatException().isThrownBy(() -> app.run("--gistgrep.secrets.key=" + truncated));

		assertThat(output.getAll()).contains("exactly 32 bytes, not 31").doesNotContain(truncated);
	}

	private String storedSecret(UUID id) {
		return this.jdbc.sql("SELECT webhook_secret FROM jobs WHERE id = :id")
			.param("id", id)
			.query(String.class)
			.single();
	}

	private Job newJob(String secret) {
		Job job = Job.queued(UUID.randomUUID(), "public", "octocat", "TODO",
				new Job.Webhook("https://example.com/hook", secret), Instant.now().truncatedTo(ChronoUnit.MICROS));
		this.jobs.insert(job);
		return job;
	}

	private static byte[] newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return key;
	}

}
