package io.gistgrep.worker.github;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The budget of each content host, raw files and git alike, shared by every worker
 * ({@code GISTGREP_GITHUB_RAW_*}). GitHub publishes no limit for these hosts and sends no
 * rate headers; it answers {@code 429} to heavy automated downloads, with cool-downs of
 * up to half an hour. So the client keeps its own pace: at most {@code rate} requests per
 * second and {@code maxConcurrency} in flight per host across all workers, halving the
 * rate and backing the whole host off on a throttle, and raising it slowly while answers
 * are good.
 *
 * @param rate the most requests per second to one host, from all workers together; also
 * the starting rate
 * @param minRate the rate is never halved below this
 * @param maxConcurrency the most requests in flight to one host, from all workers; also
 * the most one worker's adaptive limit ({@link AdaptiveLimit}) grows to. 32 by default:
 * at the default rate the host sees about {@code rate × answer time} in flight (5 at 100
 * ms), so the cap binds only on slow answers and adds no request per second; raised with
 * the rate, it lets one worker keep 32 fetches in flight (a 500-file job at 50 ms in
 * under a second of fetching), which over HTTP/2 is one connection, and stays far below
 * the 100 concurrent requests GitHub names as a secondary limit of its API
 * @param coolDown the first back-off after a throttle; doubled for each further throttle
 * until the host has been quiet as long again
 * @param maxCoolDown the back-off never grows beyond this
 */
@ConfigurationProperties("gistgrep.github.raw")
public record RawHostProperties(@DefaultValue("50") double rate, @DefaultValue("1") double minRate,
		@DefaultValue("32") int maxConcurrency, @DefaultValue("30s") Duration coolDown,
		@DefaultValue("30m") Duration maxCoolDown) {

	public RawHostProperties {
		if (!(minRate > 0) || rate < minRate) {
			throw new IllegalArgumentException(
					"gistgrep.github.raw.min-rate must be above 0 and gistgrep.github.raw.rate at least that");
		}
		if (maxConcurrency < 1) {
			throw new IllegalArgumentException("gistgrep.github.raw.max-concurrency must be at least 1");
		}
		if (coolDown.compareTo(Duration.ofSeconds(1)) < 0 || maxCoolDown.compareTo(coolDown) < 0) {
			throw new IllegalArgumentException("gistgrep.github.raw.cool-down must be at least 1s and"
					+ " gistgrep.github.raw.max-cool-down at least that");
		}
	}

}
