package io.gistgrep.api.deadletter;

import java.util.List;
import java.util.Set;

import io.gistgrep.api.auth.AuthConfiguration;
import io.gistgrep.api.job.Cursor;
import io.gistgrep.api.problem.Problems;
import io.gistgrep.common.task.Queues;
import io.gistgrep.db.deadletter.DeadLetter;
import io.gistgrep.db.deadletter.DeadLetterRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/dead-letters}: list the dead letters the worker stored, and send them
 * back to their queues. The admin token filter ({@code AdminTokenFilter}) guards it, as
 * every {@code /admin/} path.
 */
@RestController
@SecurityRequirement(name = AuthConfiguration.ADMIN_TOKEN)
class AdminDeadLetterController {

	/**
	 * The work queues, which are also the routing keys a letter can be sent back with.
	 */
	static final Set<String> QUEUES = Set.of(Queues.START_JOB, Queues.LIST_PAGE, Queues.SCAN_GIST,
			Queues.DELIVER_WEBHOOK);

	private final DeadLetterRepository letters;

	private final DeadLetterRedrive redrive;

	AdminDeadLetterController(DeadLetterRepository letters, DeadLetterRedrive redrive) {
		this.letters = letters;
		this.redrive = redrive;
	}

	/** One page of letters: {@code {"data": [...], "next_cursor": "..." | null}}. */
	record LetterPage(List<DeadLetterView> data, @Nullable String nextCursor) {

	}

	@GetMapping("/admin/dead-letters")
	@Operation(summary = "List dead letters",
			description = "The messages the broker dead-lettered, oldest first, re-driven or not (redriven_at). "
					+ "Keyset pages: limit 1 to 1000 (100), next_cursor and a Link rel=next header.")
	ResponseEntity<LetterPage> list(
			@Parameter(description = "Only letters from this work queue") @RequestParam(
					required = false) @Nullable String queue,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		int size = Cursor.limit(limit);
		String filter = (queue != null) ? queue(queue) : null;
		Long after = (cursor != null) ? id(Cursor.decode(cursor)) : null;
		List<DeadLetter> found = this.letters.page(filter, after, size + 1);
		List<DeadLetterView> page = found.stream().limit(size).map(DeadLetterView::of).toList();
		String next = (found.size() > size) ? Cursor.encode(Long.toString(page.getLast().id())) : null;
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (next != null) {
			response.header(HttpHeaders.LINK, "</admin/dead-letters?limit=" + size
					+ ((filter != null) ? "&queue=" + filter : "") + "&cursor=" + next + ">; rel=\"next\"");
		}
		return response.body(new LetterPage(page, next));
	}

	@PostMapping("/admin/dead-letters/redrive")
	@Operation(summary = "Re-drive dead letters",
			description = "Sends the letters not yet re-driven back to the queues they came from (through the "
					+ "outbox), up to 1000 a call, oldest first, and marks them re-driven. Answers how many were "
					+ "sent and how many remain.")
	DeadLetterRedrive.Result redrive(@Parameter(description = "Only letters from this work queue") @RequestParam(
			required = false) @Nullable String queue) {
		return this.redrive.redrive((queue != null) ? Set.of(queue(queue)) : QUEUES);
	}

	private static String queue(String queue) {
		if (!QUEUES.contains(queue)) {
			throw Problems.badRequest("invalid-queue", "Invalid queue",
					"queue must be one of " + QUEUES.stream().sorted().toList() + ", not '" + queue + "'.");
		}
		return queue;
	}

	private static long id(String key) {
		try {
			return Long.parseLong(key);
		}
		catch (NumberFormatException ex) {
			throw Cursor.invalid();
		}
	}

}
