package io.gistgrep.worker.reaper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.gistgrep.common.job.Job;
import io.gistgrep.common.task.Queues;
import io.gistgrep.common.task.StartJob;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.messaging.Outbox;
import io.gistgrep.sim.GitHubSim;
import io.gistgrep.sim.SimFile;
import io.gistgrep.sim.SimGist;
import io.gistgrep.sim.SimOptions;
import io.gistgrep.sim.SimUser;
import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.WorkerApplication;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.config.RabbitListenerConfigUtils;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A worker on a database and virtual host of its own, with github-sim as GitHub and the
 * reaper's thresholds in seconds, for the reaper's tests; jobs are submitted as the api
 * does (the job and its start task in one transaction), or written in SQL.
 */
final class ReaperWorker implements AutoCloseable {

	static final String PATTERN = "AKIA[0-9A-Z]{16}|TODO";

	final GitHubSim sim = GitHubSim.start(SimOptions.defaults());

	final ConfigurableApplicationContext context;

	final JdbcClient jdbc;

	final AmqpAdmin broker;

	ReaperWorker(String name, String... reaper) {
		Map<String, String> services = TestServices.get().isolated(name);
		List<String> args = new ArrayList<>();
		services.forEach((key, value) -> args.add("--" + key + "=" + value));
		args.addAll(List.of("--server.port=0", "--management.server.port=0", "--spring.application.name=" + name,
				"--gistgrep.github.api-url=" + this.sim.apiUrl(), "--gistgrep.github.raw-hosts=" + this.sim.rawHost(),
				"--gistgrep.github.git-hosts=" + this.sim.gitHost(), "--gistgrep.github.tokens=reaper-token",
				"--gistgrep.worker.retry-delays=1s,1s", "--gistgrep.outbox.poll-interval=200ms"));
		args.addAll(List.of(reaper));
		this.context = new SpringApplicationBuilder(WorkerApplication.class).run(args.toArray(String[]::new));
		this.jdbc = this.context.getBean(JdbcClient.class);
		this.broker = this.context.getBean(AmqpAdmin.class);
	}

	/** Submits a job as the api does. */
	UUID submit(String login) {
		UUID id = UUID.randomUUID();
		this.context.getBean(TransactionTemplate.class).executeWithoutResult((status) -> {
			this.context.getBean(JobRepository.class)
				.insert(Job.queued(id, "reaper", login, PATTERN, null, Instant.now()));
			this.context.getBean(Outbox.class).add(Queues.START_JOB, new StartJob(id));
		});
		return id;
	}

	/**
	 * Writes a job in SQL, created an hour ago, then sets {@code set} (an SQL assignment
	 * list, or null).
	 */
	UUID job(String status, String set) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				INSERT INTO jobs (id, tenant, status, username, pattern, created_at)
				VALUES (:id, 'reaper', :status, :username, 'TODO', now() - interval '1 hour')""")
			.param("id", id)
			.param("status", status)
			.param("username", "nobody-" + id)
			.update();
		if (set != null) {
			this.jdbc.sql("UPDATE jobs SET " + set + " WHERE id = :id").param("id", id).update();
		}
		return id;
	}

	/** Writes one of a job's gists in SQL, in {@code state}. */
	void gist(UUID jobId, String gistId, String state) {
		this.jdbc.sql("""
				INSERT INTO job_gists (job_id, gist_id, page, html_url, files, state)
				VALUES (:jobId, :gistId, 1, 'https://gist.github.com/' || :gistId, '[]', :state)""")
			.param("jobId", jobId)
			.param("gistId", gistId)
			.param("state", state)
			.update();
	}

	String status(UUID id) {
		return this.jdbc.sql("SELECT status FROM jobs WHERE id = :id").param("id", id).query(String.class).single();
	}

	/** The outbox rows (sent or not) to {@code routingKey} that carry the job. */
	int outboxRows(String routingKey, UUID jobId) {
		return this.jdbc.sql("SELECT count(*)::int FROM outbox WHERE routing_key = :key AND payload LIKE :job")
			.param("key", routingKey)
			.param("job", "%" + jobId + "%")
			.query(Integer.class)
			.single();
	}

	long ready(String queue) {
		return this.broker.getQueueInfo(queue).getMessageCount();
	}

	/** The consumers of one queue, to stop and start. */
	AbstractMessageListenerContainer consumers(String queue) {
		RabbitListenerEndpointRegistry registry = this.context.getBean(
				RabbitListenerConfigUtils.RABBIT_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME,
				RabbitListenerEndpointRegistry.class);
		return registry.getListenerContainers()
			.stream()
			.map(AbstractMessageListenerContainer.class::cast)
			.filter((container) -> List.of(container.getQueueNames()).contains(queue))
			.findFirst()
			.orElseThrow();
	}

	double repairs(String kind) {
		return this.context.getBean(MeterRegistry.class).counter("gistgrep.reaper.repairs", "kind", kind).count();
	}

	/** The ids of the job's gists that matched, as the worker recorded them. */
	List<String> matched(UUID jobId) {
		return this.jdbc.sql("SELECT gist_id FROM job_gists WHERE job_id = :id AND matched")
			.param("id", jobId)
			.query(String.class)
			.list();
	}

	/**
	 * The ids of a simulated user's gists that match, computed from the simulator's data
	 * with java.util.regex, independently of the scanner.
	 */
	static Set<String> expectedMatches(SimUser user) {
		Pattern pattern = Pattern.compile(PATTERN);
		Set<String> ids = new HashSet<>();
		for (SimGist gist : user.gists()) {
			for (SimFile file : gist.files()) {
				String text = new String(file.content(), StandardCharsets.UTF_8);
				if (text.indexOf('\0') < 0 && pattern.matcher(text).find()) {
					ids.add(gist.id());
				}
			}
		}
		return ids;
	}

	@Override
	public void close() {
		this.context.close();
		this.sim.close();
	}

}
