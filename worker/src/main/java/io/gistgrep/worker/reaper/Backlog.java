package io.gistgrep.worker.reaper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.stereotype.Component;

/**
 * Whether work queues are empty, as the broker reports it (a passive declare: no
 * management plugin needed). Only ready messages are counted: a task a consumer holds is
 * being worked on, and one in a delay queue comes back within the longest tier, shorter
 * than the reaper's thresholds.
 */
@Component
class Backlog {

	private static final Logger log = LoggerFactory.getLogger(Backlog.class);

	private final AmqpAdmin admin;

	Backlog(AmqpAdmin admin) {
		this.admin = admin;
	}

	/**
	 * Whether every one of the queues holds no ready message; false when the broker
	 * cannot say (a repair that republishes must not run while the broker is away: the
	 * outbox holds what it sends, and those messages are not lost).
	 */
	boolean idle(String... queues) {
		try {
			for (String queue : queues) {
				QueueInformation info = this.admin.getQueueInfo(queue);
				if (info == null || info.getMessageCount() > 0) {
					return false;
				}
			}
			return true;
		}
		catch (RuntimeException ex) {
			log.debug("The broker could not say how long its queues are", ex);
			return false;
		}
	}

}
