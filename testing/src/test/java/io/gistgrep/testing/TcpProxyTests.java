package io.gistgrep.testing;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The proxy in front of the machine's Redis: what a test sees when it cuts or refuses.
 */
class TcpProxyTests {

	@Test
	void trafficPassesUntilCutAndNewConnectionsFailWhileRefused() {
		try (TcpProxy proxy = TcpProxy.to("127.0.0.1", 6379)) {
			try (Jedis redis = new Jedis("127.0.0.1", proxy.port(), 2000)) {
				assertThat(redis.ping()).isEqualTo("PONG");
				proxy.cut();
				assertThatExceptionOfType(JedisConnectionException.class).isThrownBy(redis::ping);
			}
			proxy.refuse(true);
			assertThatExceptionOfType(JedisConnectionException.class).isThrownBy(() -> {
				try (Jedis redis = new Jedis("127.0.0.1", proxy.port(), 2000)) {
					redis.ping();
				}
			});
			proxy.refuse(false);
			try (Jedis redis = new Jedis("127.0.0.1", proxy.port(), 2000)) {
				assertThat(redis.ping()).isEqualTo("PONG");
				assertThat(proxy.openConnections()).isOne();
			}
			assertThat(proxy.accepted()).isEqualTo(3);
		}
	}

}
