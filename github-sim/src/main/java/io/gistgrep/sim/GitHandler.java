package io.gistgrep.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.zip.DeflaterOutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves each gist as a one-commit git repository over git's "dumb" HTTP protocol at its
 * {@code git_pull_url}, so that clients can clone files over the raw host's 10 MB limit.
 * Neither counted as an API request nor rate limited, like {@code gist.github.com}.
 */
final class GitHandler implements HttpHandler {

	private static final String BRANCH = "refs/heads/main";

	private final SimContext context;

	GitHandler(SimContext context) {
		this.context = context;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			Optional<List<String>> segments = Http.segments(exchange.getRequestURI().getRawPath());
			Optional<GitObjects> repository = segments
				.filter((path) -> path.size() >= 3 && path.get(1).endsWith(".git"))
				.flatMap((path) -> this.context.users().gist(path.get(1).substring(0, path.get(1).length() - 4)))
				.map((location) -> new GitObjects(location.owner().user(), location.gist()));
			if (repository.isEmpty() || !exchange.getRequestMethod().equals("GET")) {
				send(exchange, Reply.text(404, "Repository not found."));
				return;
			}
			String file = String.join("/", segments.get().subList(2, segments.get().size()));
			GitObjects objects = repository.get();
			if (file.equals("info/refs")) {
				send(exchange, Reply.text(200, objects.commitSha() + "\t" + BRANCH + "\n"));
			}
			else if (file.equals("HEAD")) {
				send(exchange, Reply.text(200, "ref: " + BRANCH + "\n"));
			}
			else if (file.equals("objects/info/packs")) {
				send(exchange, Reply.text(200, ""));
			}
			else if (file.matches("objects/[0-9a-f]{2}/[0-9a-f]{38}")) {
				sendObject(exchange, objects, file.substring(8, 10) + file.substring(11));
			}
			else {
				send(exchange, Reply.text(404, "Not found"));
			}
		}
	}

	private void sendObject(HttpExchange exchange, GitObjects objects, String sha) throws IOException {
		Optional<GitObject> object = objects.find(sha);
		if (object.isEmpty()) {
			send(exchange, Reply.text(404, "Not found"));
			return;
		}
		this.context.counters().completed(RequestKind.GIT, 200);
		exchange.getResponseHeaders().set("server", "github-sim");
		exchange.getResponseHeaders().set("content-type", "application/x-git-loose-object");
		exchange.sendResponseHeaders(200, 0);
		try (OutputStream out = new DeflaterOutputStream(exchange.getResponseBody())) {
			out.write(object.get().header());
			out.write(object.get().content());
		}
	}

	private void send(HttpExchange exchange, Reply reply) throws IOException {
		this.context.counters().completed(RequestKind.GIT, reply.status());
		reply.send(exchange);
	}

	private record GitObject(String type, byte[] content) {

		byte[] header() {
			return (this.type + " " + this.content.length + "\0").getBytes(StandardCharsets.US_ASCII);
		}

		String sha() {
			try {
				MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
				sha1.update(header());
				return HexFormat.of().formatHex(sha1.digest(this.content));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("Every JDK provides SHA-1", ex);
			}
		}

	}

	/**
	 * The blobs, tree and commit of a gist's repository.
	 */
	private static final class GitObjects {

		private final StoredGist gist;

		private final GitObject tree;

		private final GitObject commit;

		GitObjects(SimUser owner, StoredGist gist) {
			this.gist = gist;
			this.tree = tree(gist);
			long time = gist.gist().updatedAt().getEpochSecond();
			String person = owner.login() + " <" + owner.id() + "+" + owner.login() + "@users.noreply.github.com> "
					+ time + " +0000";
			String commit = "tree " + this.tree.sha() + "\nauthor " + person + "\ncommitter " + person + "\n\n";
			this.commit = new GitObject("commit", commit.getBytes(StandardCharsets.UTF_8));
		}

		String commitSha() {
			return this.commit.sha();
		}

		Optional<GitObject> find(String sha) {
			if (sha.equals(this.commit.sha())) {
				return Optional.of(this.commit);
			}
			if (sha.equals(this.tree.sha())) {
				return Optional.of(this.tree);
			}
			int index = this.gist.blobShas().indexOf(sha);
			return (index < 0) ? Optional.empty()
					: Optional.of(new GitObject("blob", this.gist.gist().files().get(index).content()));
		}

		/** Entries sorted by the bytes of their names, as git requires. */
		private static GitObject tree(StoredGist gist) {
			List<SimFile> files = gist.gist().files();
			Comparator<Integer> byName = (a, b) -> Arrays.compareUnsigned(name(files.get(a)), name(files.get(b)));
			ByteArrayOutputStream tree = new ByteArrayOutputStream();
			IntStream.range(0, files.size()).boxed().sorted(byName).forEach((index) -> {
				tree.writeBytes("100644 ".getBytes(StandardCharsets.US_ASCII));
				tree.writeBytes(name(files.get(index)));
				tree.write(0);
				tree.writeBytes(HexFormat.of().parseHex(gist.blobShas().get(index)));
			});
			return new GitObject("tree", tree.toByteArray());
		}

		private static byte[] name(SimFile file) {
			return file.filename().getBytes(StandardCharsets.UTF_8);
		}

	}

}
