package io.gistgrep.messaging;

import java.io.IOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A broker without the management API (plugin off): the policies cannot be set, and the
 * app starts anyway. {@link ScanQueueLimitTests} sets them on the real broker.
 */
class BrokerPoliciesTests {

	@Test
	void withoutTheManagementApiApplyingFailsButTheAppStartsWithAWarning() throws IOException {
		BrokerPolicies policies = new BrokerPolicies(
				new BrokerProperties(20, "http://127.0.0.1:" + closedPort(), null, null),
				new MockEnvironment().withProperty("spring.rabbitmq.virtual-host", "nowhere"));

		assertThatIllegalStateException().isThrownBy(policies::apply).withMessageContaining("did not answer PUT");
		assertThatNoException().isThrownBy(policies::applyAtStart);
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
