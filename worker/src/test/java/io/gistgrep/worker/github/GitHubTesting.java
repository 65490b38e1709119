package io.gistgrep.worker.github;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.gistgrep.testing.TestServices;
import io.gistgrep.worker.redis.RedisGuard;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The GitHub client's parts wired by hand, on this run's Redis database, for tests of the
 * worker that need no broker.
 */
public final class GitHubTesting {

	private static JedisConnectionFactory connections;

	private final GitHubProperties properties;

	private final MeterRegistry meters;

	private final JsonMapper json = JsonMapper.builder().build();

	private final StringRedisTemplate redis;

	private final RateBudget budget;

	private final HostLimiter hosts;

	private final GitHubHttp http;

	private final RawHttp raw;

	private final HostBudget hostBudget;

	private final JedisConnectionFactory redisConnections;

	private final RedisGuard guard;

	public GitHubTesting(Map<String, String> properties, MeterRegistry meters) {
		this(properties, meters, connections());
	}

	/**
	 * Talking to Redis through {@code redisConnections} (a proxy, for outage tests; or
	 * {@link CountingConnections}).
	 */
	public GitHubTesting(Map<String, String> properties, MeterRegistry meters,
			JedisConnectionFactory redisConnections) {
		this.properties = properties(properties);
		this.meters = meters;
		this.redisConnections = redisConnections;
		this.guard = new RedisGuard(meters);
		this.redis = new StringRedisTemplate(redisConnections);
		this.budget = new RateBudget(this.redis, this.properties, meters, this.guard);
		RawHostProperties raw = rawHostProperties(properties);
		this.hosts = new HostLimiter(this.properties, raw, meters);
		this.http = new GitHubHttp(this.properties, this.hosts, meters);
		this.raw = new RawHttp(this.properties, meters);
		this.hostBudget = new HostBudget(this.redis, raw, this.properties, meters, this.guard);
	}

	/**
	 * {@code gistgrep.github.raw.*} properties (keys {@code raw.rate} and so on in the
	 * same map) bound as the worker binds them, with defaults.
	 */
	static RawHostProperties rawHostProperties(Map<String, String> properties) {
		Map<String, String> prefixed = new LinkedHashMap<>();
		properties.forEach((key, value) -> prefixed.put("gistgrep.github." + key, value));
		return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("gistgrep.github.raw",
				RawHostProperties.class);
	}

	/**
	 * {@code gistgrep.github.*} properties bound as the worker binds them, with defaults.
	 */
	public static GitHubProperties properties(Map<String, String> properties) {
		Map<String, String> prefixed = new LinkedHashMap<>();
		properties.forEach((key, value) -> prefixed.put("gistgrep.github." + key, value));
		return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("gistgrep.github",
				GitHubProperties.class);
	}

	static synchronized JedisConnectionFactory connections() {
		if (connections == null) {
			Map<String, String> services = TestServices.get().properties();
			connections = connections(services.get("spring.data.redis.host"),
					Integer.parseInt(services.get("spring.data.redis.port")));
		}
		return connections;
	}

	/** Connections to the test run's Redis database at {@code host:port}; close them. */
	static JedisConnectionFactory connections(String host, int port) {
		Map<String, String> services = TestServices.get().properties();
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(host, port);
		configuration.setDatabase(Integer.parseInt(services.get("spring.data.redis.database")));
		JedisConnectionFactory factory = new JedisConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * Connections to the test run's Redis database that count how many are taken: one for
	 * each round trip to Redis (a pipeline of commands is one).
	 */
	public static CountingConnections countingConnections() {
		Map<String, String> services = TestServices.get().properties();
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(
				services.get("spring.data.redis.host"), Integer.parseInt(services.get("spring.data.redis.port")));
		configuration.setDatabase(Integer.parseInt(services.get("spring.data.redis.database")));
		CountingConnections factory = new CountingConnections(configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** Counts the connections taken: the round trips to Redis. Close it. */
	public static final class CountingConnections extends JedisConnectionFactory implements AutoCloseable {

		private final AtomicLong taken = new AtomicLong();

		private CountingConnections(RedisStandaloneConfiguration configuration) {
			super(configuration);
		}

		@Override
		public RedisConnection getConnection() {
			this.taken.incrementAndGet();
			return super.getConnection();
		}

		/** The round trips so far. */
		public long taken() {
			return this.taken.get();
		}

		@Override
		public void close() {
			destroy();
		}

	}

	/**
	 * A rate limit, as the client throws it, for tests of what the consumers do with one.
	 */
	public static GitHubException.RateLimited rateLimited(java.time.Instant retryAt) {
		return new GitHubException.RateLimited("rate limited in a test", retryAt);
	}

	/** A transient failure, as the client throws it. */
	public static GitHubException.Transient transientFailure() {
		return new GitHubException.Transient("502 in a test");
	}

	public GitHubProperties properties() {
		return this.properties;
	}

	public StringRedisTemplate redis() {
		return this.redis;
	}

	public JsonMapper json() {
		return this.json;
	}

	public RedisGuard guard() {
		return this.guard;
	}

	RateBudget budget() {
		return this.budget;
	}

	HostLimiter hosts() {
		return this.hosts;
	}

	HostBudget hostBudget() {
		return this.hostBudget;
	}

	public GitHubClient client() {
		return new GitHubClient(this.properties, this.http, new ListingCache(this.redis, this.json, this.guard),
				this.budget, this.json, this.meters);
	}

	public RawFiles rawFiles() {
		return new RawFiles(this.raw, new AllowedHosts(this.properties), this.hosts, this.hostBudget,
				new ContentCache(this.redisConnections, this.properties, this.meters, this.guard), this.properties);
	}

	public GistClones clones() {
		return new GistClones(this.properties, new AllowedHosts(this.properties), this.hosts, this.hostBudget,
				new TreeCache(this.redis, this.json, this.meters, this.guard), this.meters);
	}

}
