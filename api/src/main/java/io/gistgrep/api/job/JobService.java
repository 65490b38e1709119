package io.gistgrep.api.job;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import io.gistgrep.api.auth.Tenant;
import io.gistgrep.api.problem.Problems;
import io.gistgrep.api.webhook.WebhookProperties;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.scanner.InvalidPatternException;
import io.gistgrep.scanner.SearchPattern;
import io.gistgrep.common.github.Usernames;
import io.gistgrep.common.webhook.WebhookSignatures;
import io.gistgrep.common.webhook.WebhookUrls;
import io.gistgrep.common.job.Job;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.messaging.JobTransitions;
import io.gistgrep.messaging.Outbox;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Validates searches and stores them as jobs, together with the message that starts them.
 */
@Service
public class JobService {

	private static final Logger log = LoggerFactory.getLogger(JobService.class);

	private final JobRepository jobs;

	private final Outbox outbox;

	private final JobTransitions transitions;

	private final WebhookUrls webhookUrls;

	private final Clock clock = Clock.systemUTC();

	JobService(JobRepository jobs, Outbox outbox, JobTransitions transitions, WebhookProperties webhooks) {
		this.jobs = jobs;
		this.outbox = outbox;
		this.transitions = transitions;
		this.webhookUrls = webhooks.urls();
	}

	/**
	 * A validated search.
	 *
	 * @param webhook with the secret as given, or a new one
	 * @param secretGiven whether the client chose the secret (then it is part of the
	 * request's identity for idempotency)
	 */
	public record Search(String username, String pattern, Job.@Nullable Webhook webhook, boolean secretGiven) {

	}

	/** Checks a request, or throws a 400 problem that says what is wrong with it. */
	public Search validate(@Nullable JsonNode username, @Nullable JsonNode pattern) {
		return validate(username, pattern, null);
	}

	public Search validate(@Nullable JsonNode username, @Nullable JsonNode pattern, @Nullable JsonNode webhook) {
		String name = string(username, "username", "invalid-username", "Invalid username");
		Optional<String> nameProblem = Usernames.problem(name);
		if (nameProblem.isPresent()) {
			throw Problems.badRequest("invalid-username", "Invalid username", nameProblem.get() + ".");
		}
		String source = string(pattern, "pattern", "invalid-pattern", "Invalid pattern");
		try {
			SearchPattern.compile(source);
		}
		catch (InvalidPatternException ex) {
			throw Problems.badRequest("invalid-pattern", "Invalid pattern", ex.getMessage() + ".");
		}
		if (webhook == null || webhook.isNull()) {
			return new Search(name, source, null, false);
		}
		if (!webhook.isObject()) {
			throw Problems.badRequest("invalid-webhook", "Invalid webhook",
					"webhook must be an object with a url and, optionally, a secret.");
		}
		String url = string(webhook.get("url"), "webhook.url", "invalid-webhook", "Invalid webhook");
		try {
			this.webhookUrls.check(url);
		}
		catch (WebhookUrls.NotAllowedException ex) {
			throw Problems.badRequest("webhook-url-not-allowed", "Webhook URL not allowed", ex.getMessage() + ".");
		}
		JsonNode secretNode = webhook.get("secret");
		if (secretNode == null || secretNode.isNull()) {
			return new Search(name, source, new Job.Webhook(url, WebhookSignatures.newSecret()), false);
		}
		String secret = string(secretNode, "webhook.secret", "invalid-webhook", "Invalid webhook");
		try {
			WebhookSignatures.key(secret);
		}
		catch (IllegalArgumentException ex) {
			throw Problems.badRequest("invalid-webhook", "Invalid webhook", ex.getMessage() + ".");
		}
		return new Search(name, source, new Job.Webhook(url, secret), true);
	}

	private static String string(@Nullable JsonNode node, String field, String slug, String title) {
		if (node == null || node.isNull()) {
			throw Problems.badRequest(slug, title, field + " is required.");
		}
		if (!node.isString()) {
			throw Problems.badRequest(slug, title, field + " must be a string.");
		}
		return node.asString();
	}

	@Transactional
	public Job create(Tenant tenant, Search search) {
		return create(tenant, search, (job) -> {
		});
	}

	/**
	 * Stores a queued job and its start message in one transaction, in which
	 * {@code alsoInTransaction} runs too (e.g. to record an idempotency key's job). The
	 * outbox relay publishes the message as soon as the transaction commits.
	 */
	@Transactional
	public Job create(Tenant tenant, Search search, Consumer<Job> alsoInTransaction) {
		Job job = Job.queued(UUID.randomUUID(), tenant.name(), search.username(), search.pattern(), search.webhook(),
				Instant.now(this.clock).truncatedTo(ChronoUnit.MICROS));
		this.jobs.insert(job);
		this.outbox.add(Queues.START_JOB, new StartJob(job.id()));
		alsoInTransaction.accept(job);
		log.info("Job {} queued for tenant {}", job.id(), tenant.name());
		return job;
	}

	/**
	 * Ends the tenant's queued or running job as cancelled, queueing its webhook; false
	 * when it had already ended, or is not the tenant's.
	 */
	public boolean cancel(JobKey job) {
		return this.transitions.cancel(job);
	}

	/**
	 * The tenant's job, without its webhook secret; another tenant's is as good as
	 * missing.
	 */
	public Optional<Job> find(Tenant tenant, String id) {
		UUID uuid;
		try {
			uuid = UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		return this.jobs.document(new JobKey(tenant.name(), uuid));
	}

}
