package io.gistgrep.common.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WebhookUrlsTests {

	/**
	 * A fixed DNS: public names, a name that resolves to a private address, and failures.
	 */
	private static final WebhookUrls.Resolver DNS = (host) -> {
		Map<String, String> names = Map.of("hooks.example.com", "93.184.216.34", "localhost", "127.0.0.1",
				"rebind.example.com", "10.0.0.7", "v6.example.com", "2606:4700::1111");
		String address = names.get(host);
		if (address == null) {
			throw new UnknownHostException(host);
		}
		return new InetAddress[] { InetAddress.getByName(address) };
	};

	private final WebhookUrls strict = new WebhookUrls(DNS, false);

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:9/x", "https://127.0.0.1/x", "https://localhost/x", "https://10.1.2.3/x",
			"https://192.168.1.1/", "https://172.16.0.1/", "https://169.254.169.254/latest/meta-data/",
			"https://[::1]/x", "https://[fd00::1]/x", "https://[fe80::1]/x", "https://[::ffff:127.0.0.1]/x",
			"https://0x7f000001/x", "https://2130706433/x", "https://127.1/x", "https://0.0.0.0/x",
			"https://100.64.0.1/x", "https://224.0.0.1/x", "ftp://example.com/x", "file:///etc/passwd",
			"javascript:alert(1)", "not a url", "https://user:pw@127.0.0.1/x", "https://rebind.example.com/x",
			"https://nowhere.invalid/x", "https://[64:ff9b::7f00:1]/x", "https://[2002:7f00:1::]/x",
			"https://017700000001/x", "https://0x7f.1/x", "https://[::]/x", "https://255.255.255.255/" })
	void privateReservedAndMalformedAddressesAreRefused(String url) {
		assertThatExceptionOfType(WebhookUrls.NotAllowedException.class).isThrownBy(() -> this.strict.check(url))
			.withMessageStartingWith("webhook.url");
	}

	@ParameterizedTest
	@CsvSource({ "https://hooks.example.com/gistgrep,93.184.216.34", "https://93.184.216.34:8443/x,93.184.216.34",
			"https://v6.example.com/x,2606:4700:0:0:0:0:0:1111",
			"https://[2606:4700::1111]/x,2606:4700:0:0:0:0:0:1111" })
	void publicAddressesPassAndArePinned(String url, String address) {
		WebhookUrls.Checked checked = this.strict.check(url);
		assertThat(checked.addresses()).extracting(InetAddress::getHostAddress).containsExactly(address);
		assertThat(checked.uri().toString()).isEqualTo(url);
	}

	@Test
	void theAllowFlagLiftsTheAddressAndSchemeRulesButNotTheRest() {
		WebhookUrls lenient = new WebhookUrls(DNS, true);
		assertThat(lenient.check("http://127.0.0.1:9/x").addresses()).extracting(InetAddress::getHostAddress)
			.containsExactly("127.0.0.1");
		assertThat(lenient.check("https://localhost/x").host()).isEqualTo("localhost");
		assertThatExceptionOfType(WebhookUrls.NotAllowedException.class)
			.isThrownBy(() -> lenient.check("ftp://example.com/x"));
		assertThatExceptionOfType(WebhookUrls.NotAllowedException.class)
			.isThrownBy(() -> lenient.check("https://user:pw@127.0.0.1/x"));
	}

	@ParameterizedTest
	@CsvSource({ "2130706433,7f000001", "0x7f000001,7f000001", "127.1,7f000001", "127.0.1,7f000001",
			"017700000001,7f000001", "0x7f.0.0.1,7f000001", "10.010.0x10.1,0a081001", "1.2.3.4,01020304" })
	void oddIpv4SpellingsAreReadAsInetAtonReadsThem(String host, String hex) {
		assertThat(WebhookUrls.parseIpv4(host))
			.hasValueSatisfying((bytes) -> assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(hex));
	}

	@ParameterizedTest
	@ValueSource(strings = { "example.com", "1.2.3.4.5", "256.1.1.1", "4294967296", "1..2", "08", "1.2.3.256" })
	void namesAndOutOfRangeNumbersAreNotIpv4(String host) {
		assertThat(WebhookUrls.parseIpv4(host)).isEmpty();
	}

}
