package io.gistgrep.api.job;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gistgrep.api.RunningApi;
import io.gistgrep.db.gist.FileResult;
import io.gistgrep.db.gist.GistFile;
import io.gistgrep.db.gist.GistOutcome;
import io.gistgrep.db.gist.GistRef;
import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.scanner.LineMatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job is its tenant's: another tenant's key finds nothing, on every endpoint, and is
 * answered 404 (not 403, which would confirm that the job exists).
 */
class TenantIsolationTests extends RunningApi {

	private static final Map<String, String> OTHER = Map.of("Authorization", "Bearer " + OTHER_API_KEY);

	@Autowired
	JdbcClient jdbc;

	@Autowired
	GistRepository gists;

	ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "/matches", "/matches?limit=1", "/webhook-deliveries" })
	void anotherTenantGetsA404OnEveryReadOfAJob(String suffix) {
		String id = submitWithWebhook();
		assertThat(this.api.get("/jobs/" + id + suffix).statusCode()).as("the owner").isEqualTo(200);
		HttpResponse<String> response = this.api.get("/jobs/" + id + suffix, OTHER);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(this.api.json(response).path("type").asString())
			.isEqualTo("https://gistgrep.dev/problems/job-not-found");
	}

	@Test
	void anotherTenantGetsA404OnTheNdjsonExport() {
		String id = submitWithWebhook();
		Map<String, String> ndjson = Map.of("Accept", "application/x-ndjson");
		assertThat(this.api.get("/jobs/" + id + "/matches", ndjson).statusCode()).as("the owner").isEqualTo(200);
		HttpResponse<String> response = this.api.get("/jobs/" + id + "/matches",
				Map.of("Accept", "application/x-ndjson", "Authorization", "Bearer " + OTHER_API_KEY));
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).doesNotContain(id + "\",\"");
	}

	@Test
	void anotherTenantGetsNoneOfAJobsMatchesWhetherPagedOrExported() {
		String id = submitWithWebhook();
		String url = withAMatch(id);
		HttpResponse<String> page = this.api.get("/jobs/" + id + "/matches");
		assertThat(page.statusCode()).as("the owner").isEqualTo(200);
		assertThat(this.api.json(page).path("data")).singleElement()
			.satisfies((match) -> assertThat(match.toString()).contains(url));
		HttpResponse<String> export = this.api.get("/jobs/" + id + "/matches",
				Map.of("Accept", "application/x-ndjson"));
		assertThat(export.statusCode()).as("the owner's export").isEqualTo(200);
		assertThat(export.body().lines()).singleElement().satisfies((line) -> assertThat(line).contains(url));

		HttpResponse<String> theirPage = this.api.get("/jobs/" + id + "/matches", OTHER);
		HttpResponse<String> theirExport = this.api.get("/jobs/" + id + "/matches",
				Map.of("Accept", "application/x-ndjson", "Authorization", "Bearer " + OTHER_API_KEY));
		assertThat(theirPage.statusCode()).isEqualTo(404);
		assertThat(theirPage.body()).doesNotContain(url);
		assertThat(theirExport.statusCode()).isEqualTo(404);
		assertThat(theirExport.body()).doesNotContain(url);
	}

	@Test
	void anotherTenantCannotCancelARunningJob() {
		String id = submitWithWebhook();
		this.jdbc.sql("UPDATE jobs SET status = 'running', started_at = now() WHERE id = :id")
			.param("id", UUID.fromString(id))
			.update();
		assertThat(this.api.post("/jobs/" + id + "/cancel", "", OTHER).statusCode()).isEqualTo(404);
		assertThat(status(id)).isEqualTo("running");
		assertThat(this.api.json(this.api.get("/jobs/" + id + "/webhook-deliveries")).path("data")).as("no webhook")
			.isEmpty();
		assertThat(this.api.post("/jobs/" + id + "/cancel", "").statusCode()).as("the owner").isEqualTo(202);
		assertThat(status(id)).isEqualTo("cancelled");
	}

	@Test
	void anotherTenantCannotCancelAJobNorSeeItsDeliveries() {
		String id = submitWithWebhook();
		HttpResponse<String> refused = this.api.post("/jobs/" + id + "/cancel", "", OTHER);
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(status(id)).as("still queued").isEqualTo("queued");

		assertThat(this.api.post("/jobs/" + id + "/cancel", "").statusCode()).as("the owner").isEqualTo(202);
		assertThat(status(id)).isEqualTo("cancelled");
		JsonNode deliveries = this.api.json(this.api.get("/jobs/" + id + "/webhook-deliveries"));
		assertThat(deliveries.path("data")).as("the cancel queued the webhook").hasSize(1);
		assertThat(this.api.get("/jobs/" + id + "/webhook-deliveries", OTHER).statusCode()).isEqualTo(404);
	}

	@Test
	void anotherTenantNeverSeesAJobInTheList() {
		String id = submitWithWebhook();
		assertThat(listed(Map.of())).contains(id);
		assertThat(listed(OTHER)).doesNotContain(id);
	}

	@Test
	void jobsBelongToTheTenantOfTheKeyThatCreatedThem() {
		String mine = submitWithWebhook();
		HttpResponse<String> theirs = this.api.post("/jobs", body("theirs"), OTHER);
		assertThat(theirs.statusCode()).isEqualTo(202);
		assertThat(tenantOf(mine)).isEqualTo(TENANT);
		assertThat(tenantOf(this.api.json(theirs).path("id").asString())).isEqualTo(OTHER_TENANT);
	}

	@Test
	void idempotencyKeysArePerTenant() {
		String key = "shared-" + UUID.randomUUID();
		HttpResponse<String> mine = this.api.post("/jobs", body("mine"), Map.of("Idempotency-Key", key));
		HttpResponse<String> theirs = this.api.post("/jobs", body("theirs"),
				Map.of("Idempotency-Key", key, "Authorization", "Bearer " + OTHER_API_KEY));
		assertThat(mine.statusCode()).isEqualTo(202);
		assertThat(theirs.statusCode()).as("not a 422: the other tenant's key is another key").isEqualTo(202);
		assertThat(theirs.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(this.api.json(theirs).path("id").asString()).isNotEqualTo(this.api.json(mine).path("id").asString());
	}

	@Test
	void theLegacyEndpointRunsItsJobUnderTheCallersTenant() {
		String user = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<String> response = this.api.post("/api/v1/search",
				this.api.write(Map.of("username", user, "pattern", "x")), OTHER);
		assertThat(response.statusCode()).as("no worker: it waits, then answers pending").isEqualTo(202);
		String job = this.api.json(response).path("job").asString();
		assertThat(this.api.get(job, OTHER).statusCode()).isEqualTo(200);
		assertThat(this.api.get(job).statusCode()).isEqualTo(404);
	}

	private String submitWithWebhook() {
		HttpResponse<String> response = this.api.post("/jobs", this.api.write(Map.of("username", "octocat", "pattern",
				"x", "webhook", Map.of("url", "https://[2606:4700::1111]/hook"))));
		assertThat(response.statusCode()).isEqualTo(202);
		return this.api.json(response).path("id").asString();
	}

	/** Records one matching gist for the job, as a worker would; its html_url. */
	private String withAMatch(String id) {
		UUID job = UUID.fromString(id);
		String gist = "g" + UUID.randomUUID().toString().replace("-", "");
		GistFile file = new GistFile("a.txt", "text/plain", "Text", "https://raw/" + gist + "/a.txt", 3);
		GistRef ref = new GistRef(gist, "https://gist.github.com/octocat/" + gist, null, null, false, List.of(file));
		this.gists.insertPage(job, 1, List.of(ref));
		this.gists.finish(job, gist, GistOutcome.SCANNED, null,
				List.of(new FileResult(file, null, 1, List.of(new LineMatch(1, "x", 0, 0, 1)))));
		return ref.htmlUrl();
	}

	private String body(String pattern) {
		return this.api.write(Map.of("username", "octocat", "pattern", pattern));
	}

	private String listed(Map<String, String> headers) {
		HttpResponse<String> response = this.api.get("/jobs?limit=100", headers);
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private String status(String id) {
		return this.jdbc.sql("SELECT status FROM jobs WHERE id = :id")
			.param("id", UUID.fromString(id))
			.query(String.class)
			.single();
	}

	private String tenantOf(String id) {
		return this.jdbc.sql("SELECT tenant FROM jobs WHERE id = :id")
			.param("id", UUID.fromString(id))
			.query(String.class)
			.single();
	}

}
