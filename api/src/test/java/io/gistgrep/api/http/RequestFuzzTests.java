package io.gistgrep.api.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.gistgrep.api.RunningApi;
import io.gistgrep.api.http.Wire.Answer;
import io.gistgrep.api.http.Wire.Request;
import io.gistgrep.common.github.Usernames;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Junk at every endpoint of the running api, generated with jqwik's arbitraries: bodies,
 * types, usernames, patterns, query parameters, percent-encoding, methods, content types
 * and ids. Whatever arrives, the api answers 4xx (or 2xx for a harmless read), never 5xx,
 * every error is a problem that names no class, and no job is created.
 */
class RequestFuzzTests extends RunningApi {

	private static final int REQUESTS = 400;

	/** What a leaked class name, stack trace or server banner looks like. */
	private static final Pattern LEAK = Pattern.compile(
			"(java|javax|jakarta|tools\\.jackson|com\\.fasterxml|org\\.apache|org\\.springframework|io\\.gistgrep)\\.[a-z]"
					+ "|Exception|\\tat |Tomcat|Caused by",
			Pattern.CASE_INSENSITIVE);

	@Autowired
	JdbcClient jdbc;

	Wire wire;

	@BeforeEach
	void wire() {
		this.wire = new Wire(this.port);
	}

	@Test
	void generatedBadRequestsAtEveryEndpointGetProblemsAndCreateNoJob() {
		long jobsBefore = jobs();
		// The generated requests are random on every run (a failure names its request);
		// the
		// battery always starts with one request of each kind of rejection, so that what
		// it
		// must meet does not depend on the draw.
		List<Request> requests = Stream.concat(Stream.of(Request.post("/jobs", "application/json", "{\"username\":"),
				Request.get("/jobs/" + UUID.randomUUID()), new Request("DELETE", "/jobs", Map.of(), null, false),
				Request.post("/jobs", "text/plain", "username=octocat&pattern=x")),
				badRequests().sampleStream().limit(REQUESTS))
			.toList();
		Set<Integer> statuses = new TreeSet<>();
		for (Request request : requests) {
			Answer answer = this.wire.send(request);
			assertSafe(request, answer, "");
			statuses.add(answer.status());
		}
		assertThat(jobs()).as("jobs created by the battery").isEqualTo(jobsBefore);
		assertThat(requests.stream().map(Request::toString).distinct().count()).as("distinct requests")
			.isGreaterThanOrEqualTo(200);
		assertThat(statuses).as("the answers the battery met").contains(400, 404, 405, 415);
	}

	@ParameterizedTest(name = "{0} {1} → {3}")
	@CsvSource(delimiter = '|',
			value = {
					"GET|/jobs/6f1c2d8e-0b5a-4f5e-9a57-2c0d3f4e5a6b/matches?limit=-5&cursor=%00%ff||400|invalid-query",
					"GET|/jobs/6f1c2d8e-0b5a-4f5e-9a57-2c0d3f4e5a6b/matches?limit=-5||400|invalid-limit",
					"GET|/jobs?cursor=%00%ff||400|invalid-query", "GET|/jobs?status=%||400|invalid-query",
					"GET|/jobs?status=bogus||400|invalid-status", "GET|/jobs?limit=1001||400|invalid-limit",
					"GET|/jobs?limit=abc||400|invalid-limit", "GET|/jobs?cursor=bm90IG91cnM||400|invalid-cursor",
					"GET|/jobs/not-a-uuid||404|job-not-found", "GET|/jobs/%||400|invalid-request",
					"GET|/jobs/%zz/matches||400|invalid-request", "GET|/jobs/%c3%28||400|invalid-request",
					"POST|/jobs|{\"username\":|400|invalid-request",
					"POST|/jobs|{\"username\":[\"octocat\"],\"pattern\":\"x\"}|400|invalid-username",
					"POST|/jobs|{\"username\":\"octocat\",\"pattern\":{\"a\":1}}|400|invalid-pattern",
					"POST|/jobs|{\"username\":\"octo--cat\",\"pattern\":\"x\"}|400|invalid-username",
					"POST|/jobs|[]|400|invalid-request", "POST|/jobs|null|400|invalid-request",
					"POST|/api/v1/search|{\"username\":\"a b\",\"pattern\":\"x\"}|400|invalid-username",
					"DELETE|/jobs||405|method-not-allowed",
					"PUT|/jobs/6f1c2d8e-0b5a-4f5e-9a57-2c0d3f4e5a6b||405|method-not-allowed",
					"GET|/jobs/6f1c2d8e-0b5a-4f5e-9a57-2c0d3f4e5a6b/cancel||405|method-not-allowed",
					"GET|/nowhere||404|not-found", "GET|/error||404|not-found", "POST|/error|{}|404|not-found" })
	void theNamedBadRequestsGetTheirProblems(String method, String target, String body, int status, String slug) {
		Request request = (body == null) ? new Request(method, target, Map.of(), null, false)
				: Request.post(target, "application/json", body);
		Answer answer = this.wire.send(request);
		assertThat(answer.status()).as(answer.body()).isEqualTo(status);
		assertSafe(request, answer, "");
		assertThat(answer.body()).contains("\"type\":\"https://gistgrep.dev/problems/" + slug + "\"");
	}

	@Test
	void aBodyOverTheCapGets413WhetherItsLengthIsDeclaredOrChunked() {
		String big = "{\"username\":\"octocat\",\"pattern\":\"" + "a".repeat(17 * 1024) + "\"}";
		long jobsBefore = jobs();
		for (String path : List.of("/jobs", "/api/v1/search")) {
			Request declared = Request.post(path, "application/json", big);
			for (Request request : List.of(declared, declared.asChunked())) {
				Answer answer = this.wire.send(request);
				assertThat(answer.status()).as(request.toString()).isEqualTo(413);
				assertSafe(request, answer, "");
				assertThat(answer.body()).contains("payload-too-large").contains("16384 bytes");
			}
		}
		assertThat(jobs()).isEqualTo(jobsBefore);
	}

	@Test
	void aWrongContentTypeGets415() {
		for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
				"multipart/form-data; boundary=x")) {
			Request request = Request.post("/jobs", type, "username=octocat&pattern=x");
			Answer answer = this.wire.send(request);
			assertThat(answer.status()).as(type).isEqualTo(415);
			assertSafe(request, answer, "");
		}
	}

	@Test
	void requestsTomcatRejectsItselfLeakNothing() {
		List<Answer> answers = List.of(this.wire.sendRaw("GET /jobs HTTP/1.1 junk\r\nHost: x\r\n\r\n"),
				this.wire.sendRaw("G\u0001T / HTTP/1.1\r\nHost: x\r\n\r\n"),
				this.wire.send(Request.get("/jobs/" + "a".repeat(20_000))),
				this.wire.send(Request.get("/jobs").with("X-Junk", "b".repeat(20_000))));
		for (Answer answer : answers) {
			assertThat(answer.status()).isBetween(400, 499);
			assertThat(answer.body()).doesNotContainIgnoringCase("tomcat").doesNotContain("Exception");
			assertThat(answer.headers().getOrDefault("server", List.of())).isEmpty();
		}
	}

	private void assertSafe(Request request, Answer answer, String context) {
		String what = context + request + " → " + answer.status() + " " + answer.body();
		assertThat(answer.status()).as(what).isLessThan(500);
		if (answer.status() >= 400) {
			assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
			assertThat(LEAK.matcher(answer.body()).find()).as(what).isFalse();
		}
	}

	private long jobs() {
		return this.jdbc.sql("SELECT count(*) FROM jobs").query(Long.class).single();
	}

	// --- the generators

	private static Arbitrary<Request> badRequests() {
		return Arbitraries.frequencyOf(Tuple.of(4, junkSubmissions()), Tuple.of(3, oddReads()),
				Tuple.of(2, brokenEncodings()), Tuple.of(2, wrongMethodsAndTypes()));
	}

	private static Arbitrary<String> endpoints() {
		return ids()
			.map((id) -> List.of("/jobs", "/jobs/" + id, "/jobs/" + id + "/cancel", "/jobs/" + id + "/matches",
					"/jobs/" + id + "/webhook-deliveries", "/api/v1/search", "/ping", "/v3/api-docs", "/error"))
			.flatMap(Arbitraries::of);
	}

	/** Ids: well-formed but unknown, malformed, huge. */
	private static Arbitrary<String> ids() {
		return Arbitraries.oneOf(Arbitraries.create(UUID::randomUUID).map(UUID::toString),
				Arbitraries.strings().alpha().numeric().withChars('-', '_', '.').ofMinLength(1).ofMaxLength(80),
				Arbitraries.strings().withCharRange('0', 'f').ofLength(36),
				Arbitraries.integers().between(0, 2000).map("9"::repeat).filter((s) -> !s.isEmpty()));
	}

	/** User names GitHub would refuse: never valid, so no submission can create a job. */
	private static Arbitrary<String> badUsernames() {
		return Arbitraries
			.oneOf(Arbitraries.strings().ofMaxLength(60),
					Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20).map((s) -> "-" + s),
					Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map((s) -> s + "--" + s),
					Arbitraries.strings().alpha().ofMinLength(40).ofMaxLength(5000),
					Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map((s) -> s + "/../" + s),
					Arbitraries.of("", " ", "octocat ", "octo_cat", "octo.cat", "ø", "\u0000", "a\nb", "..", "%00"))
			.filter((name) -> !Usernames.isValid(name));
	}

	private static Arbitrary<String> oddPatterns() {
		return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
				Arbitraries.strings().ofMinLength(1001).ofMaxLength(3000), Arbitraries.of("(a", "[", "(a+)+$",
						"a{1001}", "(?<=x)y", "\\1", "((((((((((a))))))))))*", "\\p{Nope}", "x**", ""));
	}

	/** Any JSON value at all, many of the wrong type. */
	private static Arbitrary<String> jsonValues(Arbitrary<String> strings) {
		return Arbitraries.oneOf(strings.map(RequestFuzzTests::quote), Arbitraries.integers().map(String::valueOf),
				Arbitraries.doubles().map(String::valueOf), Arbitraries.of("true", "false", "null", "[]", "{}", "[1,2]",
						"{\"a\":\"b\"}", "1e999", "-0", "\"\\ud800\""));
	}

	private static Arbitrary<Request> junkSubmissions() {
		Arbitrary<String> objects = Combinators
			.combine(jsonValues(badUsernames()), jsonValues(oddPatterns()),
					jsonValues(Arbitraries.of("http://127.0.0.1/x", "ftp://a", "not a url", "")),
					Arbitraries.integers().between(0, 7))
			.as((username, pattern, webhook, shape) -> switch (shape) {
				case 0 -> "{\"username\":" + username + "}";
				case 1 -> "{\"pattern\":" + pattern + "}";
				case 2 -> "{\"username\":" + username + ",\"pattern\":" + pattern + ",\"webhook\":" + webhook + "}";
				case 3 -> "{\"username\":" + username + ",\"pattern\":" + pattern + ",\"extra\":[" + webhook + "]}";
				default -> "{\"username\":" + username + ",\"pattern\":" + pattern + "}";
			});
		Arbitrary<String> junk = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
				Arbitraries.of("", "{", "}", "[", "{\"username\":", "{\"username\":\"octocat\",}", "{'a':1}", "\u0000",
						"{\"username\":\"octocat\",\"pattern\":\"x\"", "NaN", "\"string\""));
		return Combinators.combine(Arbitraries.of("/jobs", "/api/v1/search"), Arbitraries.oneOf(objects, junk))
			.as((path, body) -> Request.post(path, "application/json", body));
	}

	private static Arbitrary<Request> oddReads() {
		Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf),
				Arbitraries.strings().alpha().numeric().ofMaxLength(30),
				Arbitraries.strings().ofMaxLength(20).map((s) -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8)),
				Arbitraries.of("", "-5", "0", "1001", "1.5", "1e3", "%20", "queued%00", "bogus", "v1:", "djE6"));
		Arbitrary<String> query = Combinators
			.combine(Arbitraries.of("limit", "cursor", "status", "LIMIT", "limit[]", "", "=", "x"), values)
			.as((name, value) -> name + "=" + value)
			.list()
			.ofMinSize(1)
			.ofMaxSize(4)
			.map((pairs) -> String.join("&", pairs));
		return Combinators.combine(ids(), Arbitraries.of("", "/matches", "/webhook-deliveries", "/cancel"), query)
			.as((id, tail, q) -> Request
				.get("/jobs" + ((tail.isEmpty() && id.length() % 2 == 0) ? "" : "/" + id + tail) + "?" + q));
	}

	private static Arbitrary<Request> brokenEncodings() {
		Arbitrary<String> broken = Arbitraries.of("%", "%z", "%zz", "%ff", "%00", "%c3%28", "%e2%82", "%ed%a0%80", "%%",
				"%2", "%C0%AF", "%fe%ff");
		return Combinators.combine(endpoints(), broken, Arbitraries.integers().between(0, 2))
			.as((path, junk, where) -> switch (where) {
				case 0 -> Request.get(path + "?cursor=" + junk + "&limit=" + junk);
				case 1 -> Request.get(path + "/" + junk);
				default -> Request.post(path + "?x=" + junk, "application/json", "{}");
			});
	}

	private static Arbitrary<Request> wrongMethodsAndTypes() {
		Arbitrary<String> methods = Arbitraries.of("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO", "GET",
				"POST");
		Arbitrary<String> types = Arbitraries.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
				"multipart/form-data; boundary=x", "application/json; charset=bogus", "*/*", "application/json;;", "",
				"application/problem+json");
		Arbitrary<String> accepts = Arbitraries.of("text/html", "image/png", "application/x-ndjson", "*/*", "bogus");
		return Combinators.combine(endpoints(), methods, types, accepts, badUsernames())
			.as((path, method, type, accept, username) -> new Request(method, path,
					type.isEmpty() ? Map.of("Accept", accept) : Map.of("Content-Type", type, "Accept", accept),
					("{\"username\":" + quote(username) + ",\"pattern\":\"x\"}").getBytes(StandardCharsets.UTF_8),
					false));
	}

	private static String quote(String text) {
		StringBuilder json = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				default -> json.append((c < 0x20) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
			}
		}
		return json.append('"').toString();
	}

}
