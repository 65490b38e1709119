package io.gistgrep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the benchmark corpus: code-like and prose files, the same bytes for the same
 * seed. Needles for the pattern suite are planted at fixed rates, rare enough that the
 * corpus looks like gists rather than a test fixture, common enough that every pattern
 * finds something.
 */
final class CorpusGenerator {

	/** Bumped whenever the generator's output changes, so a stale corpus is rebuilt. */
	static final int VERSION = 1;

	private static final String[] WORDS = ("the of and to in is that it for was on are as with his they at be this from "
			+ "have or by one had not but what all were when we there can an your which their said if do will each "
			+ "about how up out them then she many some so these would other into has more her two like him see time "
			+ "could no make than first been its who now people my made over did down only way find use may water long "
			+ "little very after words called just where most know get through back much before go good new write our "
			+ "used me man too any day same right look think also around another came come work three word must because "
			+ "does part even place well such here take why things help put years different away again off went old "
			+ "number great tell men say small every found still between name should home big give air line set own "
			+ "under read last never us left end along while might next sound below saw something thought both few "
			+ "those always looked show large often together asked house world going want school important until form "
			+ "food keep children feet land side without boy once animals life enough took sometimes four head above "
			+ "kind began almost live page got earth need far hand high year mother light parts country father let night "
			+ "following picture being study second eyes soon times story boys since white days ever paper hard near "
			+ "sentence better best across during today others however sure means knew whether upon system service "
			+ "server request response cluster deploy memory thread process network account login session cache queue")
		.split(" ");

	private static final String[] ACCENTED = { "café", "naïve", "Zürich", "façade", "jalapeño", "Ærø", "smörgåsbord",
			"crème brûlée", "Привет", "日本語", "🙂", "→" };

	private static final String[] IDENTS = { "count", "items", "result", "value", "index", "config", "request",
			"response", "buffer", "handler", "client", "user", "data", "node", "list", "map", "key", "name", "path",
			"url", "timeout", "retry", "logger", "context", "session", "token", "size", "offset", "limit", "status",
			"error", "message", "payload", "header", "cache", "queue", "worker", "task", "job", "event" };

	private static final String[] TYPES = { "String", "int", "long", "List<String>", "Map<String, Object>", "boolean",
			"byte[]", "Optional<User>", "HttpClient", "Duration" };

	private static final String[] KEYWORD_NEEDLES = { "password", "passwd", "secret", "api_key", "apikey",
			"access_token", "private_key", "client_secret", "auth_token", "credentials" };

	private final SplittableRandom random;

	private CorpusGenerator(long seed) {
		this.random = new SplittableRandom(seed);
	}

	/**
	 * Fills {@code dir} with about {@code totalBytes} of text in files of 64 KB to 1 MB.
	 */
	static void generate(Path dir, long seed, long totalBytes) throws IOException {
		Files.createDirectories(dir);
		CorpusGenerator generator = new CorpusGenerator(seed);
		long written = 0;
		int n = 0;
		while (written < totalBytes) {
			int size = 64 * 1024 + generator.random.nextInt(960 * 1024);
			boolean code = generator.random.nextInt(100) < 60;
			String text = code ? generator.code(size) : generator.prose(size);
			byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
			Files.write(dir.resolve(String.format("%04d.%s", n++, code ? generator.codeExtension() : "md")), bytes);
			written += bytes.length;
		}
	}

	private String codeExtension() {
		return switch (this.random.nextInt(3)) {
			case 0 -> "java";
			case 1 -> "py";
			default -> "js";
		};
	}

	private String code(int size) {
		StringBuilder out = new StringBuilder(size + 256);
		int depth = 0;
		while (out.length() < size) {
			out.append("    ".repeat(depth));
			int kind = this.random.nextInt(100);
			if (kind < 12 && depth < 4) {
				out.append(pick(new String[] { "if (", "while (", "for (", "} else if (" }))
					.append(ident())
					.append(pick(new String[] { " > ", " == ", " != ", " < " }))
					.append(this.random.nextInt(1000))
					.append(") {");
				depth++;
			}
			else if (kind < 22 && depth > 0) {
				out.append('}');
				depth--;
			}
			else if (kind < 30) {
				out.append("// ").append(sentence(4 + this.random.nextInt(10)));
			}
			else if (kind < 45) {
				out.append(pick(TYPES))
					.append(' ')
					.append(ident())
					.append(" = ")
					.append(ident())
					.append('.')
					.append(ident())
					.append('(')
					.append(ident())
					.append(");");
			}
			else if (kind < 55) {
				out.append(ident()).append(" = \"").append(sentence(2 + this.random.nextInt(5))).append("\";");
			}
			else if (kind < 62) {
				out.append("return ").append(ident()).append(" + ").append(this.random.nextInt(100000)).append(';');
			}
			else if (kind < 68) {
				out.append("log.info(\"")
					.append(sentence(3))
					.append(" {}\", ")
					.append(ident())
					.append(".get")
					.append(capitalize(ident()))
					.append("());");
			}
			else if (kind < 71) {
				out.append("url = \"https://")
					.append(pick(IDENTS))
					.append(".example.com/")
					.append(pick(IDENTS))
					.append('/')
					.append(Long.toHexString(this.random.nextLong()))
					.append("\";");
			}
			else {
				out.append(ident()).append('(').append(ident()).append(", ").append(ident()).append(");");
			}
			plantNeedles(out);
			out.append('\n');
		}
		return out.toString();
	}

	private String prose(int size) {
		StringBuilder out = new StringBuilder(size + 256);
		while (out.length() < size) {
			int sentences = 2 + this.random.nextInt(6);
			for (int i = 0; i < sentences; i++) {
				String s = sentence(6 + this.random.nextInt(18));
				out.append(capitalize(s)).append(". ");
				if (this.random.nextInt(400) == 0) {
					out.append(pick(ACCENTED)).append(' ');
				}
			}
			plantNeedles(out);
			out.append(this.random.nextInt(8) == 0 ? "\n\n" : "\n");
		}
		return out.toString();
	}

	/** The needles that the pattern suite looks for, each at its own rate per line. */
	private void plantNeedles(StringBuilder out) {
		int r = this.random.nextInt(1_000_000);
		if (r < 20) {
			out.append(" TerbiumLabsChallenge_").append(this.random.nextInt(1_000_000));
		}
		else if (r < 50) {
			out.append(" AKIA").append(upperAlnum(16));
		}
		else if (r < 80) {
			out.append(" sk_live_").append(upperAlnum(24).toLowerCase());
		}
		else if (r < 1_500) {
			out.append(' ')
				.append(pick(new String[] { "password", "Password", "PASSWORD", "db_password" }))
				.append(pick(new String[] { " = ", ": ", "=", ":" }))
				.append(pick(IDENTS))
				.append(this.random.nextInt(10000));
		}
		else if (r < 6_000) {
			out.append(' ').append(pick(KEYWORD_NEEDLES));
		}
		else if (r < 12_000) {
			out.append(' ').append(pick(IDENTS)).append('@').append(pick(IDENTS)).append(".com");
		}
		else if (r < 13_000) {
			out.append(" Abstract")
				.append(capitalize(pick(IDENTS)))
				.append("ConfigurationFactoryBean")
				.append(capitalize(pick(IDENTS)));
		}
	}

	private String ident() {
		String a = pick(IDENTS);
		return (this.random.nextInt(3) == 0) ? a + capitalize(pick(IDENTS)) : a;
	}

	private String sentence(int words) {
		StringBuilder s = new StringBuilder();
		for (int i = 0; i < words; i++) {
			if (i > 0) {
				s.append(this.random.nextInt(12) == 0 ? ", " : " ");
			}
			// A skew towards the first words, as in real text.
			int bound = 1 + this.random.nextInt(WORDS.length);
			s.append(WORDS[this.random.nextInt(bound)]);
		}
		return s.toString();
	}

	private String upperAlnum(int n) {
		String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
		StringBuilder s = new StringBuilder(n);
		for (int i = 0; i < n; i++) {
			s.append(alphabet.charAt(this.random.nextInt(alphabet.length())));
		}
		return s.toString();
	}

	private String pick(String[] choices) {
		return choices[this.random.nextInt(choices.length)];
	}

	private static String capitalize(String s) {
		return Character.toUpperCase(s.charAt(0)) + s.substring(1);
	}

}
