package io.gistgrep.common.webhook;

import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WebhookSignaturesTests {

	@Test
	void ourSignatureVerifiesWithTheReferenceLibrary() throws Exception {
		String secret = WebhookSignatures.newSecret();
		long timestamp = System.currentTimeMillis() / 1000;
		String body = "{\"type\":\"job.succeeded\",\"data\":{\"id\":\"x\"}}";
		String signature = WebhookSignatures.sign(secret, "msg_1", timestamp, body);
		assertThat(signature).startsWith("v1,");
		new Webhook(secret).verify(body, Map.of("webhook-id", List.of("msg_1"), "webhook-timestamp",
				List.of(Long.toString(timestamp)), "webhook-signature", List.of(signature)));
		assertThat(signature).isEqualTo(new Webhook(secret).sign("msg_1", timestamp, body));
	}

	@Test
	void aChangedBodyDoesNotVerify() {
		String secret = WebhookSignatures.newSecret();
		long timestamp = System.currentTimeMillis() / 1000;
		String signature = WebhookSignatures.sign(secret, "msg_1", timestamp, "{}");
		assertThatExceptionOfType(WebhookVerificationException.class)
			.isThrownBy(() -> new Webhook(secret).verify("{ }", Map.of("webhook-id", List.of("msg_1"),
					"webhook-timestamp", List.of(Long.toString(timestamp)), "webhook-signature", List.of(signature))));
	}

	@Test
	void newSecretsAreWhsecAndThirtyTwoRandomBytes() {
		String a = WebhookSignatures.newSecret();
		assertThat(a).startsWith("whsec_");
		assertThat(WebhookSignatures.key(a)).hasSize(32);
		assertThat(WebhookSignatures.newSecret()).isNotEqualTo(a);
	}

	@Test
	void malformedSecretsAreRefusedWithAReason() {
		assertThatIllegalArgumentException().isThrownBy(() -> WebhookSignatures.key("sk_abc"))
			.withMessage("webhook.secret must start with whsec_");
		assertThatIllegalArgumentException().isThrownBy(() -> WebhookSignatures.key("whsec_!!!"))
			.withMessage("webhook.secret must be whsec_ followed by base64");
		assertThatIllegalArgumentException().isThrownBy(() -> WebhookSignatures.key("whsec_AAAA"))
			.withMessage("webhook.secret must encode 24 to 64 bytes, not 3");
	}

}
