package io.gistgrep.sim;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The gists of a synthetic user, newest first, generated on each read.
 */
final class SyntheticGistList extends AbstractList<SimGist> implements RandomAccess {

	private final String login;

	private final int size;

	private final long seed;

	SyntheticGistList(String login, int size, long seed) {
		this.login = login;
		this.size = size;
		this.seed = seed;
	}

	@Override
	public SimGist get(int index) {
		if (index < 0 || index >= this.size) {
			throw new IndexOutOfBoundsException(index);
		}
		return SyntheticUsers.gist(this.login, this.seed, index);
	}

	@Override
	public int size() {
		return this.size;
	}

	SyntheticUsers.Header header(int index) {
		return SyntheticUsers.header(this.login, this.seed, index);
	}

}
