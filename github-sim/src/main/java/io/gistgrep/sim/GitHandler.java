package io.gistgrep.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * Serves each gist as a one-commit git repository over git's smart HTTP protocol at its
 * {@code git_pull_url} ({@code info/refs?service=git-upload-pack} and
 * {@code POST git-upload-pack}, answered by JGit's {@link UploadPack}), so that clients
 * can make shallow clones of gists whose files exceed the raw host's 10 MB limit or whose
 * file list the API truncates. Neither counted as an API request nor rate limited, like
 * {@code gist.github.com}. Served by the content listener, with raw files: a request of a
 * repository passes the {@link RawThrottle}, then the git faults ({@link Target#GIT}).
 */
final class GitHandler implements HttpHandler {

	static final String BRANCH = "refs/heads/main";

	private static final String SERVICE = "git-upload-pack";

	private static final int CACHED_REPOSITORIES = 16;

	private final SimContext context;

	/**
	 * Recently cloned gists, keyed by id and blob SHAs, so a clone's two requests build
	 * one repository.
	 */
	private final Map<String, Repository> repositories = new LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Repository> eldest) {
			return size() > CACHED_REPOSITORIES;
		}
	};

	/**
	 * Whether a raw path names a repository ({@code /git/{id}.git/…}) rather than a raw
	 * file, which may belong to a user named {@code git}.
	 */
	static boolean isRepositoryPath(String rawPath) {
		String[] segments = rawPath.split("/", 4);
		return segments.length >= 4 && segments[0].isEmpty() && segments[1].equals("git")
				&& segments[2].endsWith(".git");
	}

	GitHandler(SimContext context) {
		this.context = context;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			Reply throttled = this.context.rawThrottle().admit();
			Reply reply = (throttled != null) ? throttled : respond(exchange);
			this.context.counters().completed(RequestKind.GIT, reply.status());
			reply.send(exchange);
		}
	}

	private Reply respond(HttpExchange exchange) throws IOException {
		Optional<List<String>> segments = Http.segments(exchange.getRequestURI().getRawPath());
		Optional<UserDirectory.GistLocation> gist = segments
			.filter((path) -> path.size() >= 3 && path.get(1).endsWith(".git"))
			.flatMap((path) -> this.context.users().gist(path.get(1).substring(0, path.get(1).length() - 4)));
		if (gist.isEmpty()) {
			return Reply.text(404, "Repository not found.");
		}
		Fault queued = this.context.faults().nextQueued(Target.GIT);
		if (queued == Fault.STATUS_500 || this.context.faults().shouldFail(Target.GIT)) {
			this.context.counters().countInjectedFault(Target.GIT, Fault.STATUS_500);
			return Reply.text(500, "Internal Server Error");
		}
		String file = String.join("/", segments.get().subList(2, segments.get().size()));
		String method = exchange.getRequestMethod();
		Map<String, String> query = Http.query(exchange.getRequestURI().getRawQuery());
		Reply reply;
		if (file.equals("info/refs") && method.equals("GET") && SERVICE.equals(query.get("service"))) {
			reply = advertise(exchange, repository(gist.get()));
		}
		else if (file.equals(SERVICE) && method.equals("POST")) {
			reply = upload(exchange, repository(gist.get()));
		}
		else if (file.equals("info/refs")) {
			reply = Reply.text(403, "Please upgrade your git client.");
		}
		else {
			reply = Reply.text(404, "Not found");
		}
		if (queued == Fault.RESET_MID_BODY) {
			this.context.counters().countInjectedFault(Target.GIT, queued);
			reply.cutShort();
		}
		return reply;
	}

	private Reply advertise(HttpExchange exchange, Repository repository) throws IOException {
		UploadPack pack = uploadPack(exchange, repository);
		this.context.counters().countGitRequest(exchange.getRequestHeaders().containsKey("Authorization"));
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		PacketLineOut out = new PacketLineOut(body);
		pack.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(out), SERVICE);
		return Reply.bytes(200, body.toByteArray())
			.header("content-type", "application/x-" + SERVICE + "-advertisement")
			.header("cache-control", "no-cache");
	}

	private Reply upload(HttpExchange exchange, Repository repository) throws IOException {
		UploadPack pack = uploadPack(exchange, repository);
		this.context.counters().countGitRequest(exchange.getRequestHeaders().containsKey("Authorization"));
		String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
		InputStream in = exchange.getRequestBody();
		if (encoding != null && encoding.contains("gzip")) {
			in = new GZIPInputStream(in);
		}
		byte[] request = in.readAllBytes();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		pack.upload(new ByteArrayInputStream(request), body, null);
		if (asksForPack(new String(request, StandardCharsets.ISO_8859_1))) {
			this.context.counters().countGitFetch();
		}
		return Reply.bytes(200, body.toByteArray())
			.header("content-type", "application/x-" + SERVICE + "-result")
			.header("cache-control", "no-cache");
	}

	/**
	 * Whether a request ends a fetch's negotiation (its {@code done} line), which a clone
	 * sends once whatever the protocol version; protocol v2's {@code ls-refs} and the
	 * rounds before {@code done} are not counted.
	 */
	private static boolean asksForPack(String request) {
		return request.contains("0009done\n");
	}

	private static UploadPack uploadPack(HttpExchange exchange, Repository repository) {
		UploadPack pack = new UploadPack(repository);
		pack.setBiDirectionalPipe(false);
		String protocol = exchange.getRequestHeaders().getFirst("Git-Protocol");
		if (protocol != null) {
			pack.setExtraParameters(Arrays.asList(protocol.split(":")));
		}
		return pack;
	}

	private Repository repository(UserDirectory.GistLocation location) {
		StoredGist gist = location.gist();
		String key = gist.gist().id() + " " + gist.blobShas();
		synchronized (this.repositories) {
			return this.repositories.computeIfAbsent(key, (k) -> build(location.owner().user(), gist));
		}
	}

	/**
	 * The gist's one commit, dated at its last update, with its files in git's order.
	 */
	private static Repository build(SimUser owner, StoredGist gist) {
		InMemoryRepository repository = new InMemoryRepository(new DfsRepositoryDescription(gist.gist().id()));
		List<SimFile> files = gist.gist().files();
		Comparator<Integer> byName = (a, b) -> Arrays.compareUnsigned(name(files.get(a)), name(files.get(b)));
		try (ObjectInserter inserter = repository.newObjectInserter()) {
			TreeFormatter tree = new TreeFormatter();
			for (int index : IntStream.range(0, files.size()).boxed().sorted(byName).toList()) {
				ObjectId blob = inserter.insert(Constants.OBJ_BLOB, files.get(index).content());
				tree.append(files.get(index).filename(), FileMode.REGULAR_FILE, blob);
			}
			PersonIdent person = new PersonIdent(owner.login(),
					owner.id() + "+" + owner.login() + "@users.noreply.github.com", gist.gist().updatedAt(),
					ZoneOffset.UTC);
			CommitBuilder commit = new CommitBuilder();
			commit.setTreeId(inserter.insert(tree));
			commit.setAuthor(person);
			commit.setCommitter(person);
			commit.setMessage("");
			ObjectId commitId = inserter.insert(commit);
			inserter.flush();
			RefUpdate branch = repository.updateRef(BRANCH);
			branch.setNewObjectId(commitId);
			branch.forceUpdate();
			repository.updateRef(Constants.HEAD).link(BRANCH);
			return repository;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not build the repository of gist " + gist.gist().id(), ex);
		}
	}

	private static byte[] name(SimFile file) {
		return file.filename().getBytes(StandardCharsets.UTF_8);
	}

}
