package io.gistgrep.api.job;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import io.gistgrep.api.outbox.OutboxRelay;
import io.gistgrep.api.problem.Problems;
import io.gistgrep.common.messaging.Messaging;
import io.gistgrep.common.messaging.StartJob;
import io.gistgrep.common.search.InvalidPatternException;
import io.gistgrep.common.search.SearchPattern;
import io.gistgrep.common.search.Usernames;
import io.gistgrep.db.job.Job;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.outbox.OutboxRepository;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Validates searches and stores them as jobs, together with the message that starts them.
 */
@Service
public class JobService {

	/** Jobs belong to a tenant; until api keys exist, every caller is this one. */
	public static final String DEFAULT_TENANT = "public";

	private final JobRepository jobs;

	private final OutboxRepository outbox;

	private final OutboxRelay relay;

	private final MessageConverter messages;

	private final Clock clock = Clock.systemUTC();

	JobService(JobRepository jobs, OutboxRepository outbox, OutboxRelay relay, MessageConverter messages) {
		this.jobs = jobs;
		this.outbox = outbox;
		this.relay = relay;
		this.messages = messages;
	}

	/** A validated search. */
	public record Search(String username, String pattern) {

	}

	/** Checks a request, or throws a 400 problem that says what is wrong with it. */
	public Search validate(@Nullable JsonNode username, @Nullable JsonNode pattern) {
		if (username == null || username.isNull()) {
			throw Problems.badRequest("invalid-username", "Invalid username", "username is required.");
		}
		if (!username.isString()) {
			throw Problems.badRequest("invalid-username", "Invalid username", "username must be a string.");
		}
		String name = username.asString();
		Optional<String> nameProblem = Usernames.problem(name);
		if (nameProblem.isPresent()) {
			throw Problems.badRequest("invalid-username", "Invalid username", nameProblem.get() + ".");
		}
		if (pattern == null || pattern.isNull()) {
			throw Problems.badRequest("invalid-pattern", "Invalid pattern", "pattern is required.");
		}
		if (!pattern.isString()) {
			throw Problems.badRequest("invalid-pattern", "Invalid pattern", "pattern must be a string.");
		}
		try {
			SearchPattern.compile(pattern.asString());
		}
		catch (InvalidPatternException ex) {
			throw Problems.badRequest("invalid-pattern", "Invalid pattern", ex.getMessage() + ".");
		}
		return new Search(name, pattern.asString());
	}

	/** Stores a queued job and its start message in one transaction. */
	@Transactional
	public Job create(Search search) {
		Job job = Job.queued(UUID.randomUUID(), DEFAULT_TENANT, search.username(), search.pattern(),
				Instant.now(this.clock).truncatedTo(ChronoUnit.MICROS));
		this.jobs.insert(job);
		// Serialized by the broker's converter, so the worker reads exactly what it
		// expects.
		byte[] body = this.messages.toMessage(new StartJob(job.id()), new MessageProperties()).getBody();
		this.outbox.add(Messaging.EXCHANGE, Messaging.START_JOB, new String(body, StandardCharsets.UTF_8));
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				JobService.this.relay.wake();
			}
		});
		return job;
	}

	public Optional<Job> find(String id) {
		UUID uuid;
		try {
			uuid = UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		return this.jobs.find(DEFAULT_TENANT, uuid);
	}

}
