package io.gistgrep.worker.scan;

import java.io.IOException;
import java.util.List;

import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;

/** What becomes of a message of a batch of scan tasks ({@link ScanListener}). */
enum Settlement {

	/** Done with: its outcome committed, or its retry's copy confirmed. */
	ACK,
	/** Back to its queue, to be delivered again. */
	REQUEUE,
	/** Dead-lettered: it cannot be read. */
	REJECT;

	/**
	 * Settles a batch's deliveries on their channel: one multiple ack when every one is
	 * acked, else each as it was settled (one not settled goes back to its queue).
	 * @param tags the deliveries' tags, in delivery order
	 * @param settlements what became of each, null when nothing did
	 */
	static void apply(Channel channel, List<Long> tags, List<@Nullable Settlement> settlements) throws IOException {
		if (!tags.isEmpty() && settlements.stream().allMatch((settlement) -> settlement == ACK)) {
			channel.basicAck(tags.getLast(), true);
			return;
		}
		for (int i = 0; i < tags.size(); i++) {
			Settlement settlement = settlements.get(i);
			switch ((settlement != null) ? settlement : REQUEUE) {
				case ACK -> channel.basicAck(tags.get(i), false);
				case REQUEUE -> channel.basicNack(tags.get(i), false, true);
				case REJECT -> channel.basicReject(tags.get(i), false);
			}
		}
	}

}
