package io.gistgrep.api.webhook;

import io.gistgrep.common.webhook.WebhookUrls;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhooks as the api checks them ({@code GISTGREP_WEBHOOKS_*}).
 *
 * @param allowPrivate accept http and private addresses: for tests and local development
 * only
 */
@ConfigurationProperties("gistgrep.webhooks")
public record WebhookProperties(@DefaultValue("false") boolean allowPrivate) {

	public WebhookUrls urls() {
		return WebhookUrls.usingDns(this.allowPrivate);
	}

}
