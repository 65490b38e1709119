package io.gistgrep.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import redis.clients.jedis.Jedis;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real PostgreSQL, RabbitMQ and Redis that tests talk to, one isolated set per test
 * run (per JVM): its own database, virtual host and Redis database, removed again when
 * the JVM exits.
 * <p>
 * Where the services answer on their default local ports (development machines, CI),
 * those are used. Otherwise, where Docker is present, Testcontainers starts them.
 */
public final class TestServices {

	private static final String HOST = "127.0.0.1";

	private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private static volatile TestServices instance;

	private static final System.Logger log = System.getLogger(TestServices.class.getName());

	private final Map<String, String> properties;

	private final Admin admin;

	/**
	 * The key for secrets at rest ({@code gistgrep.secrets.key}) that every app of this
	 * run gets: both apps refuse to start without one, and there is no development
	 * default. New for each run, so no test can depend on a fixed key.
	 */
	private static final String SECRETS_KEY = newSecretsKey();

	/**
	 * The start-up warm-up's budget ({@code gistgrep.warmup.budget}) of every app of the
	 * run: its default, 8 s, is sized for the first job after a deployment, and the suite
	 * starts dozens of apps; every step still runs at least once. A test that needs
	 * another budget replaces this key in its copy of {@link #properties()} (given twice
	 * on a command line, a property's values are joined with a comma, not overridden).
	 */
	static final String WARMUP_BUDGET = "1s";

	private TestServices(Map<String, String> properties, Admin admin) {
		Map<String, String> p = new LinkedHashMap<>(properties);
		p.put("gistgrep.secrets.key", SECRETS_KEY);
		p.put("gistgrep.warmup.budget", WARMUP_BUDGET);
		this.properties = Map.copyOf(p);
		this.admin = admin;
	}

	/**
	 * How to make and remove databases and virtual hosts on the servers in use.
	 *
	 * @param managementUrl RabbitMQ's management API, or null to use {@code rabbitmqctl}
	 */
	private record Admin(String serverUrl, String dbUser, String dbPassword, @Nullable String managementUrl,
			String rabbitUser, String rabbitPassword) {

		void createDatabase(String database) {
			execute(this.serverUrl, this.dbUser, this.dbPassword, "CREATE DATABASE " + database);
		}

		void dropDatabase(String database) {
			execute(this.serverUrl, this.dbUser, this.dbPassword,
					"DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
		}

		// RabbitMQ creates virtual hosts only through its management API or rabbitmqctl;
		// the
		// API is preferred (the management plugin is what .ci/run enables), the CLI is
		// the
		// fallback for a local broker without the plugin.
		void createVhost(String vhost) {
			if (this.managementUrl != null) {
				management("PUT", "/api/vhosts/" + encode(vhost), "{}");
				management("PUT", "/api/permissions/" + encode(vhost) + "/" + encode(this.rabbitUser),
						"{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
			}
			else {
				rabbitmqctl("add_vhost", vhost);
				rabbitmqctl("set_permissions", "-p", vhost, this.rabbitUser, ".*", ".*", ".*");
			}
		}

		void deleteVhost(String vhost) {
			try {
				if (this.managementUrl != null) {
					management("DELETE", "/api/vhosts/" + encode(vhost), null);
				}
				else {
					rabbitmqctl("delete_vhost", vhost);
				}
			}
			catch (RuntimeException ex) {
				log.log(System.Logger.Level.WARNING, "Could not delete test vhost " + vhost, ex);
			}
		}

		private void management(String method, String path, @Nullable String body) {
			String credentials = this.rabbitUser + ":" + this.rabbitPassword;
			// HTTP/1.1: the JDK client's h2c upgrade attempt on a PUT is dropped by
			// RabbitMQ's web server.
			try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
				HttpRequest request = HttpRequest.newBuilder(URI.create(this.managementUrl + path))
					.header("Authorization",
							"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
					.header("Content-Type", "application/json")
					.method(method,
							(body != null) ? HttpRequest.BodyPublishers.ofString(body)
									: HttpRequest.BodyPublishers.noBody())
					.timeout(Duration.ofSeconds(10))
					.build();
				HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() >= 300) {
					throw new IllegalStateException(
							method + " " + path + " answered " + response.statusCode() + ": " + response.body());
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException("RabbitMQ's management API did not answer " + method + " " + path, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/** The services of this run, prepared on first use. */
	public static TestServices get() {
		TestServices services = instance;
		if (services == null) {
			synchronized (TestServices.class) {
				services = instance;
				if (services == null) {
					services = prepare();
					instance = services;
				}
			}
		}
		return services;
	}

	/**
	 * Spring properties (datasource, rabbitmq, redis) that point at this run's services,
	 * this run's random key for secrets at rest ({@code gistgrep.secrets.key}) and the
	 * tests' warm-up budget ({@link #WARMUP_BUDGET}).
	 */
	public Map<String, String> properties() {
		return this.properties;
	}

	/** For {@code @DynamicPropertySource} methods. */
	public static void register(DynamicPropertyRegistry registry) {
		get().properties().forEach((key, value) -> registry.add(key, () -> value));
	}

	/**
	 * Properties like {@link #properties()}, but with a database and a virtual host of
	 * their own (Redis is shared), for a test whose apps must not meet this run's other
	 * apps on the broker or in the database. Removed when the JVM exits.
	 * @param name a short name for the database and vhost: lower-case letters, digits, _
	 */
	public Map<String, String> isolated(String name) {
		String url = jdbcUrl();
		String server = url.substring(0, url.lastIndexOf('/') + 1);
		String database = url.substring(server.length()).replaceAll("\\?.*$", "") + "_" + name;
		String vhost = "gistgrep-" + RUN + "-" + name;
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			this.admin.dropDatabase(database);
			this.admin.deleteVhost(vhost);
		}, "test-services-cleanup-" + name));
		this.admin.createDatabase(database);
		this.admin.createVhost(vhost);
		Map<String, String> p = new LinkedHashMap<>(this.properties);
		p.put("spring.datasource.url", server + database);
		p.put("spring.rabbitmq.virtual-host", vhost);
		return Map.copyOf(p);
	}

	public String jdbcUrl() {
		return this.properties.get("spring.datasource.url");
	}

	private static TestServices prepare() {
		if (answers(5432) && answers(5672) && answers(6379)) {
			return local();
		}
		if (DockerClientFactory.instance().isDockerAvailable()) {
			return containers();
		}
		throw new IllegalStateException("Tests need PostgreSQL (5432), RabbitMQ (5672) and Redis (6379) on " + HOST
				+ ", or Docker for Testcontainers. Start them as .ci/run does.");
	}

	private static TestServices local() {
		String database = "gistgrep_test_" + RUN;
		String vhost = "gistgrep-test-" + RUN;
		Admin admin = new Admin("jdbc:postgresql://" + HOST + ":5432/postgres", "postgres", "postgres",
				answers(15672) ? "http://" + HOST + ":15672" : null, "guest", "guest");
		int redisDb = claimRedisDatabase();
		// Registered first, so that a half-prepared run is cleaned up too.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			admin.dropDatabase(database);
			admin.deleteVhost(vhost);
			releaseRedisDatabase(redisDb);
		}, "test-services-cleanup"));
		admin.createDatabase(database);
		admin.createVhost(vhost);
		Map<String, String> p = new LinkedHashMap<>();
		p.put("spring.datasource.url", "jdbc:postgresql://" + HOST + ":5432/" + database);
		p.put("spring.datasource.username", "postgres");
		p.put("spring.datasource.password", "postgres");
		p.put("spring.rabbitmq.host", HOST);
		p.put("spring.rabbitmq.port", "5672");
		p.put("spring.rabbitmq.username", "guest");
		p.put("spring.rabbitmq.password", "guest");
		p.put("spring.rabbitmq.virtual-host", vhost);
		p.put("spring.data.redis.host", HOST);
		p.put("spring.data.redis.port", "6379");
		p.put("spring.data.redis.database", Integer.toString(redisDb));
		return new TestServices(p, admin);
	}

	@SuppressWarnings("resource") // stopped by Testcontainers' Ryuk when the JVM exits
	private static TestServices containers() {
		PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");
		RabbitMQContainer rabbit = new RabbitMQContainer("rabbitmq:4-management-alpine");
		GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
		List.of(postgres, rabbit, redis).parallelStream().forEach(GenericContainer::start);
		Map<String, String> p = new LinkedHashMap<>();
		p.put("spring.datasource.url", postgres.getJdbcUrl());
		p.put("spring.datasource.username", postgres.getUsername());
		p.put("spring.datasource.password", postgres.getPassword());
		p.put("spring.rabbitmq.host", rabbit.getHost());
		p.put("spring.rabbitmq.port", Integer.toString(rabbit.getAmqpPort()));
		p.put("spring.rabbitmq.username", rabbit.getAdminUsername());
		p.put("spring.rabbitmq.password", rabbit.getAdminPassword());
		p.put("spring.rabbitmq.virtual-host", "/");
		p.put("spring.data.redis.host", redis.getHost());
		p.put("spring.data.redis.port", Integer.toString(redis.getMappedPort(6379)));
		p.put("spring.data.redis.database", "0");
		String jdbc = postgres.getJdbcUrl();
		Admin admin = new Admin(jdbc.substring(0, jdbc.lastIndexOf('/') + 1) + "postgres", postgres.getUsername(),
				postgres.getPassword(), rabbit.getHttpUrl(), rabbit.getAdminUsername(), rabbit.getAdminPassword());
		return new TestServices(p, admin);
	}

	private static String newSecretsKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	private static boolean answers(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void execute(String url, String user, String password, String sql) {
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run '" + sql + "' on " + url, ex);
		}
	}

	private static String encode(String segment) {
		return URLEncoder.encode(segment, StandardCharsets.UTF_8);
	}

	private static void rabbitmqctl(String... args) {
		String[] command = new String[args.length + 2];
		command[0] = "rabbitmqctl";
		command[1] = "-q";
		System.arraycopy(args, 0, command, 2, args.length);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run rabbitmqctl", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Claims one of Redis' databases 1-15 for this run with a lease in database 0, so
	 * concurrent runs never share one, and empties it.
	 */
	private static int claimRedisDatabase() {
		try (Jedis jedis = new Jedis(HOST, 6379)) {
			for (int db = 1; db < 16; db++) {
				if ("OK".equals(jedis.set("gistgrep:test-lease:" + db, RUN,
						redis.clients.jedis.params.SetParams.setParams().nx().ex(3600)))) {
					jedis.select(db);
					jedis.flushDB();
					return db;
				}
			}
		}
		throw new IllegalStateException("Redis databases 1-15 are all leased by other test runs");
	}

	private static void releaseRedisDatabase(int db) {
		try (Jedis jedis = new Jedis(HOST, 6379)) {
			jedis.select(db);
			jedis.flushDB();
			jedis.select(0);
			if (RUN.equals(jedis.get("gistgrep:test-lease:" + db))) {
				jedis.del("gistgrep:test-lease:" + db);
			}
		}
	}

}
