package io.gistgrep.sim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic users with many gists of code-like text, some of which hold things worth
 * searching for: {@code TODO} comments, {@code password = hunter2}-style lines, AWS-style
 * {@code AKIA...} keys and email addresses.
 * <p>
 * Gists are generated when read, not held: a user with 100,000 gists costs almost no
 * memory until its gists are read, and the same login, count and seed always give the
 * same gists.
 */
public final class SyntheticUsers {

	/** The most gists a synthetic user can have. */
	public static final int MAX_GISTS = 100_000;

	private static final Pattern ON_DEMAND_LOGIN = Pattern.compile("synthetic-(0|[1-9][0-9]{0,5})",
			Pattern.CASE_INSENSITIVE);

	/** Gist {@code i} is created about {@code i} hours before this instant. */
	private static final Instant NEWEST = Instant.parse("2025-06-01T12:00:00Z");

	private static final long CREATION_STEP_SECONDS = Duration.ofHours(1).toSeconds();

	private static final long CREATION_JITTER_SECONDS = Duration.ofMinutes(50).toSeconds();

	private static final long UPDATE_SPREAD_SECONDS = Duration.ofDays(30).toSeconds();

	private static final String[] WORDS = { "alpha", "bucket", "cache", "delta", "event", "filter", "gateway",
			"handler", "index", "job", "kernel", "ledger", "metric", "node", "order", "parser", "queue", "report",
			"socket", "token", "upload", "vector", "worker", "yaml", "zone" };

	private static final String[] FILE_STEMS = { "utils", "notes", "deploy", "scratch", "config", "server", "parse",
			"snippet", "script", "todo", "cheatsheet", "example" };

	private static final String[] DESCRIPTIONS = { "quick %s helper", "notes on %s", "%s experiment",
			"how I fixed the %s", "%s snippet for later", "benchmarking the %s" };

	private static final String[] EMAIL_DOMAINS = { "example.com", "example.org", "mail.test", "corp.example" };

	private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	private SyntheticUsers() {
	}

	/**
	 * A user with {@code gistCount} generated gists, newest first.
	 * @param login the login
	 * @param gistCount how many gists, at most {@link #MAX_GISTS}
	 * @param seed the seed; the same login, count and seed give the same user
	 * @return the user, whose gist list generates each gist when it is read
	 */
	public static SimUser generate(String login, int gistCount, long seed) {
		if (gistCount < 0 || gistCount > MAX_GISTS) {
			throw new IllegalArgumentException(
					"A synthetic user has between 0 and " + MAX_GISTS + " gists, not " + gistCount);
		}
		return new SimUser(login, userId(login, seed), new SyntheticGistList(login, gistCount, seed));
	}

	/**
	 * The gist count of a login of the form {@code synthetic-<n>}.
	 */
	static Optional<Integer> onDemandGistCount(String login) {
		Matcher matcher = ON_DEMAND_LOGIN.matcher(login);
		if (!matcher.matches()) {
			return Optional.empty();
		}
		int count = Integer.parseInt(matcher.group(1));
		return (count <= MAX_GISTS) ? Optional.of(count) : Optional.empty();
	}

	static long userId(String login, long seed) {
		long hash = ByteBuffer.wrap(digest("user", login, seed, 0)).getLong();
		return 10_000_000 + Math.floorMod(hash, 190_000_000L);
	}

	/**
	 * What a listing needs to filter and order gist {@code index}, without its files.
	 */
	record Header(String id, Instant createdAt, Instant updatedAt) {
	}

	static Header header(String login, long seed, int index) {
		ByteBuffer hash = ByteBuffer.wrap(digest("gist", login, seed, index));
		byte[] bytes = hash.array();
		int idLength = 20 + (bytes[0] & 0xff) % 13;
		String id = HexFormat.of().formatHex(bytes).substring(0, idLength);
		long jitter = Math.floorMod(hash.getLong(8), CREATION_JITTER_SECONDS);
		Instant createdAt = NEWEST.minusSeconds(index * CREATION_STEP_SECONDS + jitter);
		long sinceCreation = Math.floorMod(hash.getLong(16), UPDATE_SPREAD_SECONDS);
		// A third of the gists were never edited.
		Instant updatedAt = (Math.floorMod(hash.getLong(24), 3) == 0) ? createdAt
				: createdAt.plusSeconds(sinceCreation);
		return new Header(id, createdAt, updatedAt);
	}

	static SimGist gist(String login, long seed, int index) {
		Header header = header(login, seed, index);
		SplittableRandom random = new SplittableRandom(ByteBuffer.wrap(digest("files", login, seed, index)).getLong());
		String description = (random.nextInt(10) == 0) ? null
				: String.format(Locale.ROOT, pick(random, DESCRIPTIONS), pick(random, WORDS));
		int fileCount = 1 + random.nextInt(3);
		List<SimFile> files = new ArrayList<>(fileCount);
		Set<String> names = new HashSet<>();
		for (int i = 0; i < fileCount; i++) {
			Language language = Language.values()[random.nextInt(Language.values().length)];
			String stem = pick(random, FILE_STEMS);
			String name = stem + "." + language.extension;
			if (!names.add(name)) {
				name = stem + "_" + i + "." + language.extension;
				names.add(name);
			}
			byte[] content = content(random, language).getBytes(StandardCharsets.UTF_8);
			files.add(new SimFile(name, content, language.displayName, language.type));
		}
		return new SimGist(header.id(), description, header.createdAt(), header.updatedAt(), files);
	}

	private enum Language {

		PYTHON("py", "Python", "application/x-python", "# "),
		JAVASCRIPT("js", "JavaScript", "application/javascript", "// "),
		MARKDOWN("md", "Markdown", "text/markdown", "- "), TEXT("txt", "Text", "text/plain", "");

		private final String extension;

		private final String displayName;

		private final String type;

		private final String comment;

		Language(String extension, String displayName, String type, String comment) {
			this.extension = extension;
			this.displayName = displayName;
			this.type = type;
			this.comment = comment;
		}

	}

	private static String content(SplittableRandom random, Language language) {
		int targetBytes = 200 + random.nextInt(3800);
		List<String> lines = new ArrayList<>();
		int size = 0;
		while (size < targetBytes) {
			String line = line(random, language);
			lines.add(line);
			size += line.length() + 1;
		}
		if (random.nextInt(100) < 30) {
			insert(random, lines, language.comment + "TODO: " + pick(random, WORDS) + " the " + pick(random, WORDS)
					+ " before release");
		}
		if (random.nextInt(100) < 12) {
			int suffix = random.nextInt(100);
			insert(random, lines,
					random.nextBoolean() ? "password = hunter" + suffix : "db_password = 'correcthorse" + suffix + "'");
		}
		if (random.nextInt(100) < 8) {
			StringBuilder key = new StringBuilder("AKIA");
			for (int i = 0; i < 16; i++) {
				key.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
			}
			insert(random, lines, "aws_access_key_id = " + key);
		}
		if (random.nextInt(100) < 20) {
			insert(random, lines, language.comment + "contact: " + pick(random, WORDS) + "." + pick(random, WORDS)
					+ random.nextInt(100) + "@" + pick(random, EMAIL_DOMAINS));
		}
		return String.join("\n", lines) + "\n";
	}

	private static String line(SplittableRandom random, Language language) {
		String a = pick(random, WORDS);
		String b = pick(random, WORDS);
		int n = random.nextInt(1000);
		return switch (language) {
			case PYTHON -> switch (random.nextInt(5)) {
				case 0 -> "def handle_" + a + "(" + b + "):";
				case 1 -> "    return " + a + "_" + n + " * 2";
				case 2 -> "import " + a;
				case 3 -> "for " + a + " in " + b + "s:";
				default -> "    print(" + a + ", " + n + ")";
			};
			case JAVASCRIPT -> switch (random.nextInt(5)) {
				case 0 -> "function " + a + "(" + b + ") {";
				case 1 -> "  return " + b + ".map((x) => x + " + n + ");";
				case 2 -> "const " + a + " = require('" + b + "');";
				case 3 -> "}";
				default -> "console.log('" + a + "', " + n + ");";
			};
			case MARKDOWN -> switch (random.nextInt(4)) {
				case 0 -> "## " + a + " and " + b;
				case 1 -> "- " + a + " takes " + n + " ms";
				case 2 -> "";
				default -> "Run `" + a + " --" + b + "` to rebuild the " + a + ".";
			};
			case TEXT -> a + " " + b + " " + n + " " + pick(random, WORDS);
		};
	}

	private static void insert(SplittableRandom random, List<String> lines, String line) {
		lines.add(random.nextInt(lines.size() + 1), line);
	}

	private static <T> T pick(SplittableRandom random, T[] choices) {
		return choices[random.nextInt(choices.length)];
	}

	private static byte[] digest(String purpose, String login, long seed, int index) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			String input = purpose + "\n" + login.toLowerCase(Locale.ROOT) + "\n" + seed + "\n" + index;
			return sha256.digest(input.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK provides SHA-256", ex);
		}
	}

}
