package io.gistgrep.db;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Boots only the db module (DataSource, Flyway, JdbcClient, repositories) for its tests.
 */
@SpringBootApplication
class DbTestApplication {

}
