package io.gistgrep.common.task;

import java.util.UUID;

/** Deliver a webhook; the delivery's row says what and where. */
public record DeliverWebhook(UUID deliveryId) {

}
