package io.gistgrep.sim;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A user as the simulator serves it: gists in listing order (newest created first), found
 * by position or by id.
 */
abstract sealed class UserRecord permits UserRecord.Materialised, UserRecord.Synthetic {

	private final SimUser user;

	UserRecord(SimUser user) {
		this.user = user;
	}

	static UserRecord of(SimUser user) {
		return (user.gists() instanceof SyntheticGistList synthetic) ? new Synthetic(user, synthetic)
				: new Materialised(user);
	}

	final SimUser user() {
		return this.user;
	}

	final String login() {
		return this.user.login();
	}

	final long id() {
		return this.user.id();
	}

	abstract int size();

	abstract Instant updatedAt(int index);

	abstract StoredGist gist(int index);

	abstract OptionalInt indexOf(String gistId);

	static final class Materialised extends UserRecord {

		private static final Comparator<SimGist> NEWEST_FIRST = Comparator.comparing(SimGist::createdAt)
			.reversed()
			.thenComparing(SimGist::id);

		private final List<StoredGist> gists;

		private final Map<String, Integer> indexById = new HashMap<>();

		Materialised(SimUser user) {
			super(user);
			this.gists = user.gists().stream().sorted(NEWEST_FIRST).map(StoredGist::of).toList();
			for (int i = 0; i < this.gists.size(); i++) {
				if (this.indexById.put(this.gists.get(i).gist().id(), i) != null) {
					throw new IllegalArgumentException(
							"User " + user.login() + " holds two gists with id " + this.gists.get(i).gist().id());
				}
			}
		}

		@Override
		int size() {
			return this.gists.size();
		}

		@Override
		Instant updatedAt(int index) {
			return this.gists.get(index).gist().updatedAt();
		}

		@Override
		StoredGist gist(int index) {
			return this.gists.get(index);
		}

		@Override
		OptionalInt indexOf(String gistId) {
			Integer index = this.indexById.get(gistId);
			return (index != null) ? OptionalInt.of(index) : OptionalInt.empty();
		}

	}

	/**
	 * Keeps only ids and update times (a few megabytes for 100,000 gists); files are
	 * generated when a page or a gist is served, and the most recently served gists are
	 * kept so that fetching their raw files right after a listing does not generate them
	 * again.
	 */
	static final class Synthetic extends UserRecord {

		private static final int RECENT_GISTS = 2048;

		private final SyntheticGistList gists;

		private final Map<Integer, StoredGist> recent = new LinkedHashMap<>(RECENT_GISTS, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<Integer, StoredGist> eldest) {
				return size() > RECENT_GISTS;
			}

		};

		private final long[] updatedAt;

		private final Map<String, Integer> indexById;

		Synthetic(SimUser user, SyntheticGistList gists) {
			super(user);
			this.gists = gists;
			this.updatedAt = new long[gists.size()];
			this.indexById = HashMap.newHashMap(gists.size());
			for (int i = 0; i < gists.size(); i++) {
				SyntheticUsers.Header header = gists.header(i);
				this.updatedAt[i] = header.updatedAt().getEpochSecond();
				this.indexById.put(header.id(), i);
			}
		}

		@Override
		int size() {
			return this.gists.size();
		}

		@Override
		Instant updatedAt(int index) {
			return Instant.ofEpochSecond(this.updatedAt[index]);
		}

		@Override
		StoredGist gist(int index) {
			synchronized (this.recent) {
				StoredGist cached = this.recent.get(index);
				if (cached != null) {
					return cached;
				}
			}
			StoredGist generated = StoredGist.of(this.gists.get(index));
			synchronized (this.recent) {
				this.recent.put(index, generated);
			}
			return generated;
		}

		@Override
		OptionalInt indexOf(String gistId) {
			Integer index = this.indexById.get(gistId);
			return (index != null) ? OptionalInt.of(index) : OptionalInt.empty();
		}

	}

}
