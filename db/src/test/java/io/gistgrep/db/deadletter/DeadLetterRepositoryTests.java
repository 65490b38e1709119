package io.gistgrep.db.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.gistgrep.testing.TestServices;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-letter table. Each test uses queues of its own, so that it sees only its
 * letters in this run's shared database.
 */
@SpringBootTest
class DeadLetterRepositoryTests {

	private static final Instant DEAD_AT = Instant.parse("2026-01-02T03:04:05Z");

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestServices.register(registry);
	}

	@Autowired
	DeadLetterRepository letters;

	@Autowired
	TransactionTemplate transaction;

	private final String queue = "q-" + UUID.randomUUID();

	@Test
	void aLetterDeliveredAgainIsStoredOnce() {
		DeadLetter.Arrival letter = arrival(this.queue, "same");
		long before = this.letters.pending();

		assertThat(this.letters.store(letter)).isTrue();
		assertThat(this.letters.store(arrival(this.queue, "same"))).as("the same fingerprint").isFalse();

		List<DeadLetter> stored = this.letters.page(this.queue, null, 10);
		assertThat(stored).hasSize(1);
		DeadLetter only = stored.getFirst();
		assertThat(only.routingKey()).isEqualTo(this.queue);
		assertThat(only.reason()).isEqualTo("rejected");
		assertThat(new String(only.payload(), StandardCharsets.UTF_8)).isEqualTo("body same");
		assertThat(only.deathCount()).isEqualTo(2);
		assertThat(only.firstDeadAt()).isEqualTo(DEAD_AT);
		assertThat(only.redrivenAt()).isNull();
		assertThat(this.letters.pending()).isEqualTo(before + 1);
	}

	@Test
	void pagesFollowTheKeyAndFilterByQueue() {
		for (String name : List.of("a", "b", "c")) {
			this.letters.store(arrival(this.queue, name));
		}
		this.letters.store(arrival(this.queue + "-other", "d"));

		List<DeadLetter> first = this.letters.page(this.queue, null, 2);
		List<DeadLetter> second = this.letters.page(this.queue, first.getLast().id(), 2);

		assertThat(first).extracting((letter) -> new String(letter.payload(), StandardCharsets.UTF_8))
			.containsExactly("body a", "body b");
		assertThat(second).extracting((letter) -> new String(letter.payload(), StandardCharsets.UTF_8))
			.containsExactly("body c");
	}

	@Test
	void aClaimedLetterIsMarkedRedrivenOnceAndNoLongerClaimedOrCounted() {
		this.letters.store(arrival(this.queue, "x"));
		this.letters.store(arrival(this.queue + "-other", "y"));
		long before = this.letters.pending(List.of(this.queue));

		List<DeadLetter> claimed = this.transaction.execute((status) -> {
			List<DeadLetter> found = this.letters.claimPending(List.of(this.queue), 100);
			this.letters.markRedriven(found.stream().map(DeadLetter::id).toList());
			return found;
		});

		assertThat(before).isEqualTo(1);
		assertThat(claimed).hasSize(1);
		assertThat(this.letters.pending(List.of(this.queue))).isZero();
		assertThat(this.letters.pending(List.of(this.queue + "-other"))).isEqualTo(1);
		assertThat(this.letters.claimPending(List.of(this.queue), 100)).isEmpty();
		assertThat(this.letters.page(this.queue, null, 10).getFirst().redrivenAt()).isNotNull();
	}

	private static DeadLetter.Arrival arrival(String queue, String name) {
		byte[] fingerprint = (queue + "/" + name).getBytes(StandardCharsets.UTF_8);
		return new DeadLetter.Arrival(fingerprint, queue, queue, "rejected", "application/json",
				("body " + name).getBytes(StandardCharsets.UTF_8), "{}", 2, DEAD_AT, DEAD_AT.plusSeconds(1));
	}

}
