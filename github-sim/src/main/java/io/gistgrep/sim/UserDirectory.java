package io.gistgrep.sim;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users the simulator knows, by login (case-insensitive) and by numeric id. A login
 * of the form {@code synthetic-<n>} that nobody added becomes a synthetic user with
 * {@code n} gists on first use.
 */
final class UserDirectory {

	record GistLocation(UserRecord owner, int index) {

		StoredGist gist() {
			return this.owner.gist(this.index);
		}

	}

	private final long seed;

	private final Map<String, UserRecord> byLogin = new ConcurrentHashMap<>();

	private final Map<Long, UserRecord> byId = new ConcurrentHashMap<>();

	UserDirectory(long seed) {
		this.seed = seed;
	}

	synchronized UserRecord put(SimUser user) {
		UserRecord record = UserRecord.of(user);
		UserRecord replaced = this.byLogin.put(key(user.login()), record);
		if (replaced != null) {
			this.byId.remove(replaced.id(), replaced);
		}
		this.byId.put(user.id(), record);
		return record;
	}

	Optional<UserRecord> byLogin(String login) {
		UserRecord record = this.byLogin.get(key(login));
		if (record != null) {
			return Optional.of(record);
		}
		return SyntheticUsers.onDemandGistCount(login).map((count) -> materialise(login, count));
	}

	Optional<UserRecord> byId(long id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	Optional<GistLocation> gist(String gistId) {
		for (UserRecord record : this.byLogin.values()) {
			OptionalInt index = record.indexOf(gistId);
			if (index.isPresent()) {
				return Optional.of(new GistLocation(record, index.getAsInt()));
			}
		}
		return Optional.empty();
	}

	private synchronized UserRecord materialise(String login, int gistCount) {
		UserRecord existing = this.byLogin.get(key(login));
		if (existing != null) {
			return existing;
		}
		return put(SyntheticUsers.generate(login.toLowerCase(Locale.ROOT), gistCount, this.seed));
	}

	private static String key(String login) {
		return login.toLowerCase(Locale.ROOT);
	}

}
