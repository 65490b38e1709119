package io.gistgrep.worker.github;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gistgrep.worker.redis.RedisGuard;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker's GitHub client as a job uses it, wired afresh to a loopback stand-in of
 * GitHub ({@link StandIn}), for the start-up warm-up: the same classes (the listing with
 * its cache and token budget, raw fetches within the adaptive host limit, the shared host
 * budget and the content cache, all in the real Redis, over the JDK HTTP client), so that
 * their classes are loaded and the JIT has compiled them before the first job.
 * <p>
 * Nothing of it reaches the worker's own state: its meters are its own (not exported);
 * its token is made up, so its budget in Redis is not a real token's; its host is the
 * stand-in's loopback address and port, whose budget keys expire (an hour); the contents
 * it caches are keyed by their own blob SHAs and kept a minute; its listing pages carry
 * no {@code ETag}, so none is cached.
 */
public final class Rehearsal implements AutoCloseable {

	private final StandIn standIn;

	private final GitHubProperties properties;

	private final GitHubClient client;

	private final RawFiles rawFiles;

	private final GistClones clones;

	private final GitHubHttp http;

	private final RawHttp raw;

	private Rehearsal(StandIn standIn, StringRedisTemplate redis, RedisConnectionFactory connections, JsonMapper json) {
		this.standIn = standIn;
		// Defaults but for the host, a made-up token and a short content cache.
		this.properties = new GitHubProperties(standIn.base(), List.of("rehearsal-" + UUID.randomUUID()), List.of(),
				List.of(), "gistgrep-rehearsal", Duration.ofSeconds(5), Duration.ofSeconds(30),
				DataSize.ofMegabytes(10), DataSize.ofMegabytes(100), 8, DataSize.ofMegabytes(1), Duration.ofMinutes(1),
				Duration.ofMinutes(1), 6);
		// No pace to keep with the stand-in: a rate far above what the rounds ask, never
		// halved (the minimum is the rate: it also sets what one worker may have in
		// flight
		// while Redis is away).
		RawHostProperties raw = new RawHostProperties(1_000_000, 1_000_000, 32, Duration.ofSeconds(30),
				Duration.ofMinutes(30));
		MeterRegistry meters = new SimpleMeterRegistry();
		RedisGuard guard = new RedisGuard(meters);
		HostLimiter hosts = new HostLimiter(this.properties, raw, meters);
		this.http = new GitHubHttp(this.properties, hosts, meters);
		this.raw = new RawHttp(this.properties, meters);
		AllowedHosts allowed = new AllowedHosts(this.properties);
		HostBudget budget = new HostBudget(redis, raw, this.properties, meters, guard);
		this.client = new GitHubClient(this.properties, this.http, new ListingCache(redis, json, guard),
				new RateBudget(redis, this.properties, meters, guard), json, meters);
		this.rawFiles = new RawFiles(this.raw, allowed, hosts, budget,
				new ContentCache(connections, this.properties, meters, guard), this.properties);
		this.clones = new GistClones(this.properties, allowed, hosts, budget, new TreeCache(redis, json, meters, guard),
				meters);
	}

	/**
	 * Starts a stand-in with {@code gists} gists of two small files each, and a client
	 * for it.
	 * @throws IOException if no loopback port can be opened
	 */
	public static Rehearsal open(int gists, StringRedisTemplate redis, RedisConnectionFactory connections,
			JsonMapper json) throws IOException {
		StandIn standIn = StandIn.start(gists, json);
		try {
			return new Rehearsal(standIn, redis, connections, json);
		}
		catch (RuntimeException ex) {
			standIn.close();
			throw ex;
		}
	}

	/** Every gist the stand-in lists, page after page, through the client. */
	public List<ListedGist> listAll() {
		List<ListedGist> gists = new ArrayList<>();
		@Nullable String url = this.client.firstPageUrl(StandIn.USER);
		while (url != null) {
			GistPage page = this.client.listGists(url, StandIn.USER);
			gists.addAll(page.gists());
			url = page.next().orElse(null);
		}
		return gists;
	}

	/** The stand-in's base URL: its host and port name its budget in Redis. */
	public URI standIn() {
		return this.standIn.base();
	}

	/** The blob SHAs of the stand-in's files, new at each opening. */
	public Set<String> blobShas() {
		return this.standIn.blobShas();
	}

	/**
	 * How many of the stand-in's gists hold a line that {@code TODO|AKIA[0-9A-Z]{16}}
	 * matches (every third, from the first); no other line of theirs matches it.
	 */
	public int matchingGists() {
		return this.standIn.matchingGists();
	}

	public GitHubClient client() {
		return this.client;
	}

	public RawFiles rawFiles() {
		return this.rawFiles;
	}

	public GistClones clones() {
		return this.clones;
	}

	public GitHubProperties properties() {
		return this.properties;
	}

	/** Closes the client's connections and stops the stand-in. */
	@Override
	public void close() {
		try {
			this.http.close();
		}
		finally {
			try {
				this.raw.close();
			}
			finally {
				this.standIn.close();
			}
		}
	}

}
