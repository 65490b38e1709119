package io.gistgrep.db;

import io.gistgrep.common.messaging.MessagingConfiguration;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * Boots only the db module (DataSource, Flyway, JdbcClient, repositories, outbox relay)
 * for its tests.
 */
@SpringBootApplication
@Import(MessagingConfiguration.class)
class DbTestApplication {

}
