package io.gistgrep.worker.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.gistgrep.common.task.DeliverWebhook;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.webhook.WebhookSignatures;
import io.gistgrep.common.webhook.WebhookStatus;
import io.gistgrep.common.webhook.WebhookUrls;
import io.gistgrep.common.job.Job;
import io.gistgrep.common.job.JobDocument;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.webhook.WebhookDelivery;
import io.gistgrep.db.webhook.WebhookRepository;
import io.gistgrep.messaging.LogContext;
import io.gistgrep.worker.messaging.Tasks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Delivers a job's end to its webhook (Standard Webhooks 1.0), retrying on the configured
 * schedule. Each attempt is recorded once, keyed by its number, before the next one is
 * scheduled, so a redelivered message neither repeats an attempt's record nor loses the
 * retry: a message that arrives before the delivery's next attempt is due is parked until
 * then.
 */
@Component
class WebhookListener {

	private static final Logger log = LoggerFactory.getLogger(WebhookListener.class);

	/** Attempts from this number on share one label, so that labels stay bounded. */
	private static final int MAX_ATTEMPT_LABEL = 10;

	private final WebhookRepository deliveries;

	private final JobRepository jobs;

	private final WebhookSender sender;

	private final Tasks tasks;

	private final WebhookProperties properties;

	private final WebhookRetryPolicy retries;

	private final WebhookUrls urls;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final Clock clock = Clock.systemUTC();

	WebhookListener(WebhookRepository deliveries, JobRepository jobs, WebhookSender sender, Tasks tasks,
			WebhookProperties properties, JsonMapper json, MeterRegistry meters) {
		this.deliveries = deliveries;
		this.jobs = jobs;
		this.sender = sender;
		this.tasks = tasks;
		this.properties = properties;
		this.retries = new WebhookRetryPolicy(properties.retries());
		this.urls = WebhookUrls.usingDns(properties.allowPrivate());
		this.json = json;
		this.meters = meters;
		for (WebhookStatus outcome : WebhookStatus.values()) {
			for (int attempt = 1; attempt <= MAX_ATTEMPT_LABEL; attempt++) {
				attempts(outcome, attempt);
			}
		}
	}

	@RabbitListener(id = Queues.DELIVER_WEBHOOK, queues = Queues.DELIVER_WEBHOOK)
	void deliver(DeliverWebhook task, Message message) {
		try (LogContext context = LogContext.open()) {
			this.tasks.run(message, () -> attempt(task, message),
					(ex) -> log.error("Giving up delivery {} after repeated internal errors", task.deliveryId(), ex));
		}
	}

	private void attempt(DeliverWebhook task, Message message) {
		Optional<WebhookDelivery> found = this.deliveries.find(task.deliveryId());
		if (found.isEmpty() || !found.get().pending()) {
			return;
		}
		WebhookDelivery delivery = found.get();
		LogContext.jobId(delivery.jobId());
		Instant now = this.clock.instant();
		if (delivery.nextAttemptAt() != null && delivery.nextAttemptAt().isAfter(now.plusMillis(500))) {
			this.tasks.deferUntil(message, delivery.nextAttemptAt());
			return;
		}
		Optional<Job> job = this.jobs.find(delivery.jobId());
		if (job.isEmpty() || job.get().webhook() == null) {
			return;
		}
		LogContext.tenant(job.get().tenant());
		Job.Webhook webhook = job.get().webhook();
		String body = (delivery.body() != null) ? delivery.body()
				: this.deliveries.fixBody(delivery.id(), body(delivery, job.get(), now));
		int attempt = delivery.attempts() + 1;
		WebhookSender.Outcome outcome = send(webhook, delivery, now, body);
		WebhookRetryPolicy.Next next = this.retries.after(attempt, outcome, this.clock.instant());
		String error = outcome.delivered() ? null
				: outcome.error().orElseGet(() -> "receiver answered " + outcome.status().orElse(0));
		WebhookDelivery.Attempt record = new WebhookDelivery.Attempt(attempt, now, outcome.status().orElse(null),
				outcome.latencyMs(), error);
		if (!this.deliveries.recordAttempt(delivery.id(), record, next.status(), next.nextAttemptAt().orElse(null))) {
			return;
		}
		attempts(next.status(), attempt).increment();
		if (outcome.delivered()) {
			log.info("Webhook {} delivered on attempt {} (receiver answered {} in {} ms)", delivery.id(), attempt,
					outcome.status().orElse(0), outcome.latencyMs());
		}
		if (next.nextAttemptAt().isPresent()) {
			log.info("Webhook {} attempt {} failed ({}); next attempt at {}", delivery.id(), attempt, error,
					next.nextAttemptAt().get());
			this.tasks.deferUntil(message, next.nextAttemptAt().get());
		}
	}

	/**
	 * The attempts counter of one outcome and attempt number. Every pair is registered at
	 * start-up, at 0, so that the first failure is a rise Prometheus' {@code increase}
	 * sees.
	 */
	private Counter attempts(WebhookStatus outcome, int attempt) {
		return Counter.builder("gistgrep.webhooks.attempts")
			.description("Webhook delivery attempts, by attempt number (1 is the first; the last label is "
					+ MAX_ATTEMPT_LABEL + "+) and by the delivery's state after it: delivered, pending (to be "
					+ "retried), failed (given up) or gone (the receiver answered 410)")
			.tag("outcome", outcome.value())
			.tag("attempt", (attempt < MAX_ATTEMPT_LABEL) ? Integer.toString(attempt) : MAX_ATTEMPT_LABEL + "+")
			.register(this.meters);
	}

	private WebhookSender.Outcome send(Job.Webhook webhook, WebhookDelivery delivery, Instant now, String body) {
		if (webhook.secret() == null) {
			// Recorded as a failed attempt and retried on the schedule: the key that
			// decrypts the secret may be configured by the next attempt.
			return new WebhookSender.Outcome(Optional.empty(), Optional.empty(), Optional
				.of("the webhook secret cannot be decrypted with the configured keys (GISTGREP_SECRETS_KEY, GISTGREP_SECRETS_PREVIOUS_KEYS)"),
					0);
		}
		try {
			WebhookUrls.Checked target = this.urls.check(webhook.url());
			long timestamp = now.getEpochSecond();
			String id = delivery.id().toString();
			return this.sender.post(target, id, timestamp,
					WebhookSignatures.sign(webhook.secret(), id, timestamp, body), body, this.properties.timeout());
		}
		catch (WebhookUrls.NotAllowedException ex) {
			// Checked again at delivery: the host may resolve elsewhere now than at
			// submission.
			return new WebhookSender.Outcome(Optional.empty(), Optional.empty(), Optional.of(ex.getMessage()), 0);
		}
	}

	private String body(WebhookDelivery delivery, Job job, Instant now) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", delivery.eventType());
		event.put("timestamp", now.toString());
		event.put("data", JobDocument.of(job));
		return this.json.writeValueAsString(event);
	}

}
