package io.gistgrep.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gistgrep.sim.SyntheticUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace per job, from the api's request through the outbox and RabbitMQ to every step
 * of the worker, read where an operator reads it: the trace id in the log lines of both
 * apps (Spring Boot's log correlation, in plain text or JSON).
 */
@ExtendWith(OutputCaptureExtension.class)
class TraceAcrossTheQueueTests {

	/**
	 * The trace id of a log line: Spring Boot's correlation ({@code [traceId-spanId]}) in
	 * plain text, or the MDC's {@code traceId} (or ECS's {@code trace.id}) in JSON.
	 */
	private static final Pattern TRACE_ID = Pattern
		.compile("\\[([0-9a-f]{32})-[0-9a-f]{16}\\]|\"trace(?:Id|\\.id)\"\\s*:\\s*\"([0-9a-f]{32})\"");

	private final Stack stack = Stack.get();

	@Test
	void theSubmissionTheListingTheEndAndTheWebhookOfAJobCarryOneTraceIdOfTheirOwn(CapturedOutput output) {
		String login = "traced-" + UUID.randomUUID().toString().substring(0, 8);
		this.stack.sim.addUser(SyntheticUsers.generate(login, 5, 3));
		try (WebhookReceiver receiver = new WebhookReceiver((n) -> (n == 1) ? 500 : 204)) {
			String traced = submit("{\"username\":\"" + login + "\",\"pattern\":\"TODO\",\"webhook\":{\"url\":\""
					+ receiver.url() + "\"}}");
			String other = submit("{\"username\":\"" + login + "\",\"pattern\":\"FIXME\"}");
			// The first attempt fails and is logged, by the worker, on the way to the
			// second.
			await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received.size() >= 2);
			await().atMost(Duration.ofSeconds(60)).until(() -> line(output, "Job " + other + " succeeded").isPresent());
			String deliveryId = receiver.received.getFirst().header("webhook-id");

			String submitted = traceId(output, "Job " + traced + " submitted");
			assertThat(traceId(output, "Job " + traced + " started")).as("the worker's start").isEqualTo(submitted);
			assertThat(traceId(output, "Job " + traced + " listed the gists of")).as("the worker's listing")
				.isEqualTo(submitted);
			assertThat(traceId(output, "Job " + traced + " succeeded"))
				.as("the job's end, counted by the scan of its last gists")
				.isEqualTo(submitted);
			assertThat(traceId(output, "Webhook " + deliveryId + " attempt 1 failed")).as("the webhook's delivery")
				.isEqualTo(submitted);
			assertThat(traceId(output, "Job " + other + " submitted")).as("another job's trace")
				.isNotEqualTo(submitted)
				.isEqualTo(traceId(output, "Job " + other + " listed the gists of"))
				.isEqualTo(traceId(output, "Job " + other + " succeeded"));
		}
	}

	private String submit(String json) {
		Stack.Response created = this.stack.post("/jobs", json);
		assertThat(created.status()).isEqualTo(202);
		return created.json().path("id").asString();
	}

	/** The trace id of the one log line that contains {@code text}. */
	private static String traceId(CapturedOutput output, String text) {
		List<String> lines = output.getAll().lines().filter((line) -> line.contains(text)).toList();
		assertThat(lines).as("log lines with '%s'", text).hasSize(1);
		Matcher matcher = TRACE_ID.matcher(lines.getFirst());
		assertThat(matcher.find()).as("a trace id in: %s", lines.getFirst()).isTrue();
		return (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
	}

	private static Optional<String> line(CapturedOutput output, String text) {
		return output.getAll().lines().filter((line) -> line.contains(text)).findFirst();
	}

}
