package io.gistgrep.messaging;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Boots the messaging module on the db module, without scheduling: the tests drive the
 * relay themselves.
 */
@SpringBootApplication(scanBasePackages = { "io.gistgrep.messaging", "io.gistgrep.db" })
class MessagingTestApplication {

}
