package io.gistgrep.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

import static io.gistgrep.common.task.Queues.DELIVER_WEBHOOK;
import static io.gistgrep.common.task.Queues.EXCHANGE;
import static io.gistgrep.common.task.Queues.LIST_PAGE;
import static io.gistgrep.common.task.Queues.SCAN_GIST;
import static io.gistgrep.common.task.Queues.START_JOB;

/**
 * The shape of what the api and the worker share on the broker (the names are in
 * {@link io.gistgrep.common.task.Queues}), declared by both so that they may start in any
 * order.
 * <ul>
 * <li>One direct exchange routes the work to quorum queues, each with an explicit
 * delivery limit (RabbitMQ 3.x has no default) and a dead-letter exchange.</li>
 * <li>Delayed retries wait in one queue per delay tier whose TTL dead-letters the message
 * back to the work exchange under its original routing key. A queue-wide TTL is used
 * because a per-message TTL only expires at the head of a queue.</li>
 * </ul>
 */
public final class Topology {

	public static final String DEAD_LETTER_EXCHANGE = "gistgrep.dead";

	public static final String DEAD_LETTER_QUEUE = "gistgrep.dead";

	/** The delays a message can wait for before it is delivered again. */
	public static final List<Duration> DELAY_TIERS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
			Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10));

	/** Redeliveries (crashed consumers) before the broker dead-letters a message. */
	public static final int DELIVERY_LIMIT = 10;

	private Topology() {
	}

	/** The exchange (and queue) of one delay tier. */
	public static String delayExchange(Duration tier) {
		return "gistgrep.delay." + tier.toSeconds() + "s";
	}

	public static Declarables topology() {
		List<Declarable> all = new ArrayList<>();
		DirectExchange work = new DirectExchange(EXCHANGE, true, false);
		TopicExchange dead = new TopicExchange(DEAD_LETTER_EXCHANGE, true, false);
		Queue deadQueue = QueueBuilder.durable(DEAD_LETTER_QUEUE).quorum().build();
		all.add(work);
		all.add(dead);
		all.add(deadQueue);
		all.add(BindingBuilder.bind(deadQueue).to(dead).with("#"));
		for (String name : List.of(START_JOB, LIST_PAGE, SCAN_GIST, DELIVER_WEBHOOK)) {
			Queue queue = QueueBuilder.durable(name)
				.quorum()
				.deliveryLimit(DELIVERY_LIMIT)
				.deadLetterExchange(DEAD_LETTER_EXCHANGE)
				.build();
			all.add(queue);
			all.add(BindingBuilder.bind(queue).to(work).with(name));
		}
		for (Duration tier : DELAY_TIERS) {
			String name = delayExchange(tier);
			FanoutExchange exchange = new FanoutExchange(name, true, false);
			Queue queue = QueueBuilder.durable(name).ttl((int) tier.toMillis()).deadLetterExchange(EXCHANGE).build();
			Binding binding = BindingBuilder.bind(queue).to(exchange);
			all.add(exchange);
			all.add(queue);
			all.add(binding);
		}
		return new Declarables(all);
	}

}
