package io.gistgrep.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The users the simulator knows, by login (case-insensitive) and by numeric id. A login
 * of the form {@code synthetic-<n>} that nobody added becomes a synthetic user with
 * {@code n} gists on first use.
 * <p>
 * A user's gists change by replacing the user's record whole ({@link #change}), so a
 * request that is being served keeps reading the record it started with; actions can be
 * attached to the serving of a listing page ({@link #onListingPage}).
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

	private final Map<String, Map<Integer, Runnable>> listingActions = new ConcurrentHashMap<>();

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

	/**
	 * Replaces a user's gists with what {@code change} makes of them (a synthetic user's
	 * gists are generated once, then kept).
	 * @throws NoSuchElementException when there is no such user
	 */
	synchronized SimUser change(String login, UnaryOperator<List<SimGist>> change) {
		UserRecord record = byLogin(login)
			.orElseThrow(() -> new NoSuchElementException("The simulator has no user " + login));
		SimUser user = record.user();
		SimUser changed = new SimUser(user.login(), user.id(), change.apply(new ArrayList<>(user.gists())));
		put(changed);
		return changed;
	}

	/**
	 * Runs {@code action} once, after page {@code page} of the user's listing is made and
	 * before it is sent, so a client sees the change from its next request on.
	 */
	void onListingPage(String login, int page, Runnable action) {
		this.listingActions.computeIfAbsent(key(login), (k) -> new ConcurrentHashMap<>())
			.merge(page, action, (first, second) -> () -> {
				first.run();
				second.run();
			});
	}

	/** Runs the actions attached to a page of a user's listing, once. */
	void listingPageServed(String login, int page) {
		Map<Integer, Runnable> actions = this.listingActions.get(key(login));
		Runnable action = (actions != null) ? actions.remove(page) : null;
		if (action != null) {
			action.run();
		}
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
