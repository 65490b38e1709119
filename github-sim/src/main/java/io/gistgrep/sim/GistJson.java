package io.gistgrep.sim;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gists and users in the JSON shape of GitHub's REST API, fields in GitHub's order.
 */
final class GistJson {

	/** GitHub cuts a file's {@code content} at 1 MB in {@code GET /gists/{id}}. */
	static final int CONTENT_LIMIT = 1024 * 1024;

	/** GitHub lists at most 300 files of a gist. */
	static final int FILE_LIMIT = 300;

	private GistJson() {
	}

	static ObjectNode listItem(BaseUrls urls, SimUser owner, StoredGist stored) {
		ObjectNode gist = head(urls, owner, stored);
		ObjectNode files = gist.putObject("files");
		List<SimFile> all = stored.gist().files();
		for (int i = 0; i < Math.min(all.size(), FILE_LIMIT); i++) {
			files.set(all.get(i).filename(), fileSummary(urls, owner, stored, i));
		}
		tail(urls, owner, stored, gist);
		gist.put("truncated", all.size() > FILE_LIMIT);
		return gist;
	}

	/**
	 * One gist with content. Imitates what clients observed: once a file is cut at 1 MB,
	 * the files after it come back with empty content, also marked truncated.
	 */
	static ObjectNode fullGist(BaseUrls urls, SimUser owner, StoredGist stored) {
		ObjectNode gist = head(urls, owner, stored);
		ObjectNode files = gist.putObject("files");
		List<SimFile> all = stored.gist().files();
		boolean cut = false;
		for (int i = 0; i < Math.min(all.size(), FILE_LIMIT); i++) {
			SimFile file = all.get(i);
			ObjectNode node = fileSummary(urls, owner, stored, i);
			if (cut) {
				node.put("truncated", true);
				node.put("content", "");
			}
			else {
				cut = file.size() > CONTENT_LIMIT;
				node.put("truncated", cut);
				putContent(node, file.content());
			}
			files.set(file.filename(), node);
		}
		tail(urls, owner, stored, gist);
		gist.putArray("forks");
		ArrayNode history = gist.putArray("history");
		ObjectNode version = history.addObject();
		String versionSha = Http
			.sha256Hex((stored.gist().id() + stored.gist().updatedAt()).getBytes(StandardCharsets.UTF_8))
			.substring(0, 40);
		version.set("user", owner(urls, owner));
		version.put("version", versionSha);
		version.put("committed_at", stored.gist().updatedAt().toString());
		ObjectNode changes = version.putObject("change_status");
		long lines = all.stream().mapToLong(GistJson::lineCount).sum();
		changes.put("total", lines);
		changes.put("additions", lines);
		changes.put("deletions", 0);
		version.put("url", urls.api() + "/gists/" + stored.gist().id() + "/" + versionSha);
		gist.put("truncated", all.size() > FILE_LIMIT);
		return gist;
	}

	static ObjectNode owner(BaseUrls urls, SimUser user) {
		ObjectNode owner = Json.object();
		owner.put("login", user.login());
		owner.put("id", user.id());
		owner.put("node_id", nodeId("User", Long.toString(user.id())));
		owner.put("avatar_url", "https://avatars.githubusercontent.com/u/" + user.id() + "?v=4");
		owner.put("url", urls.api() + "/users/" + user.login());
		owner.put("html_url", "https://github.com/" + user.login());
		owner.put("type", "User");
		owner.put("site_admin", false);
		return owner;
	}

	static ObjectNode profile(BaseUrls urls, UserRecord user) {
		ObjectNode profile = owner(urls, user.user());
		profile.put("gists_url", urls.api() + "/users/" + user.login() + "/gists{/gist_id}");
		profile.putNull("name");
		profile.put("public_repos", 0);
		profile.put("public_gists", user.size());
		profile.put("followers", 0);
		profile.put("following", 0);
		return profile;
	}

	private static ObjectNode head(BaseUrls urls, SimUser owner, StoredGist stored) {
		String id = stored.gist().id();
		String url = urls.api() + "/gists/" + id;
		ObjectNode gist = Json.object();
		gist.put("url", url);
		gist.put("forks_url", url + "/forks");
		gist.put("commits_url", url + "/commits");
		gist.put("id", id);
		gist.put("node_id", nodeId("Gist", id));
		gist.put("git_pull_url", urls.git() + "/git/" + id + ".git");
		gist.put("git_push_url", urls.git() + "/git/" + id + ".git");
		gist.put("html_url", "https://gist.github.com/" + owner.login() + "/" + id);
		return gist;
	}

	private static void tail(BaseUrls urls, SimUser owner, StoredGist stored, ObjectNode gist) {
		SimGist simGist = stored.gist();
		gist.put("public", true);
		gist.put("created_at", simGist.createdAt().toString());
		gist.put("updated_at", simGist.updatedAt().toString());
		gist.put("description", simGist.description());
		gist.put("comments", 0);
		gist.putNull("user");
		gist.put("comments_url", urls.api() + "/gists/" + simGist.id() + "/comments");
		gist.set("owner", owner(urls, owner));
	}

	private static ObjectNode fileSummary(BaseUrls urls, SimUser owner, StoredGist stored, int index) {
		SimFile file = stored.gist().files().get(index);
		ObjectNode node = Json.object();
		node.put("filename", file.filename());
		node.put("type", file.type());
		node.put("language", file.language());
		node.put("raw_url", rawUrl(urls, owner, stored, index));
		node.put("size", file.size());
		return node;
	}

	static String rawUrl(BaseUrls urls, SimUser owner, StoredGist stored, int index) {
		return urls.raw() + "/" + owner.login() + "/" + stored.gist().id() + "/raw/" + stored.blobShas().get(index)
				+ "/" + Http.encodePathSegment(stored.gist().files().get(index).filename());
	}

	private static void putContent(ObjectNode node, byte[] content) {
		byte[] kept = (content.length > CONTENT_LIMIT) ? Arrays.copyOf(content, utf8Boundary(content)) : content;
		try {
			String text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(kept))
				.toString();
			node.put("encoding", "utf-8");
			node.put("content", text);
		}
		catch (CharacterCodingException ex) {
			node.put("encoding", "base64");
			node.put("content", Base64.getEncoder().encodeToString(kept));
		}
	}

	/** The largest length up to the limit that does not split a UTF-8 sequence. */
	private static int utf8Boundary(byte[] content) {
		int end = CONTENT_LIMIT;
		while (end > 0 && (content[end] & 0xC0) == 0x80) {
			end--;
		}
		return end;
	}

	private static long lineCount(SimFile file) {
		long lines = 0;
		for (byte b : file.content()) {
			if (b == '\n') {
				lines++;
			}
		}
		return lines;
	}

	private static String nodeId(String type, String id) {
		return Base64.getEncoder().encodeToString(("04:" + type + id).getBytes(StandardCharsets.UTF_8));
	}

}
