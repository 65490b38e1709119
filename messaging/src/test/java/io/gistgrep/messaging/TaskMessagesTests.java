package io.gistgrep.messaging;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.gistgrep.common.task.ListPage;
import io.gistgrep.common.task.ScanGist;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Task messages sent by a worker of the previous release, still queued when the new one
 * starts, read with the converter both apps use.
 */
class TaskMessagesTests {

	private static final UUID JOB = UUID.fromString("0b8f0c3e-9a5b-4d8e-8f1a-2b3c4d5e6f70");

	private final MessageConverter converter = new MessagingConfiguration().messageConverter();

	@Test
	void aListPageWithoutPassIsAPageOfTheFirstPassThatSawNoChange() {
		ListPage task = read("{\"jobId\":\"" + JOB + "\",\"page\":4,\"url\":\"https://api.github.com/u?page=4\"}",
				ListPage.class);
		assertThat(task).isEqualTo(new ListPage(JOB, 4, "https://api.github.com/u?page=4", 1, false));
		assertThat(task.passNumber()).isEqualTo(1);
		assertThat(task.changedSoFar()).isFalse();
	}

	@Test
	void aListPageKeepsItsPassAndWhetherItChangedThroughTheBroker() {
		ListPage sent = new ListPage(JOB, 2, "https://api.github.com/u?page=2", 3, true);
		Message message = this.converter.toMessage(sent, new MessageProperties());
		message.getMessageProperties().setInferredArgumentType(ListPage.class);
		assertThat(this.converter.fromMessage(message)).isEqualTo(sent);
	}

	@Test
	void aScanGistWithoutRevisionScansRevisionZero() {
		ScanGist task = read("{\"jobId\":\"" + JOB + "\",\"gistId\":\"abc\"}", ScanGist.class);
		assertThat(task.revisionNumber()).isZero();
		assertThat(task).isEqualTo(new ScanGist(JOB, "abc"));
	}

	private <T> T read(String json, Class<T> type) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		// As a listener reads it: by the type of its parameter.
		properties.setInferredArgumentType(type);
		Object read = this.converter.fromMessage(new Message(json.getBytes(StandardCharsets.UTF_8), properties));
		return type.cast(read);
	}

}
