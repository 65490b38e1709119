package io.gistgrep.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gistgrep completion}: the script, sourced into a real bash. */
class CompletionTests {

	@TempDir
	Path dir;

	@Test
	void theBashScriptCompletesCommandsAndTheirOptions() throws Exception {
		Path script = this.dir.resolve("gistgrep-completion.bash");
		Files.writeString(script, completion("bash"));

		assertThat(complete(script, "gistgrep se")).isEqualTo("search");
		assertThat(complete(script, "gistgrep search --no-w")).isEqualTo("--no-wait");
		assertThat(complete(script, "gistgrep jobs --status ")).isEqualTo("QUEUED RUNNING SUCCEEDED FAILED CANCELLED");
	}

	@Test
	void zshGetsTheSameScriptWhichTurnsOnBashCompatibilityItself() {
		String zsh = completion("zsh");

		assertThat(zsh).isEqualTo(completion("bash")).contains("bashcompinit");
	}

	private static String completion(String shell) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int status = Main.run(Map.of(), new ByteArrayInputStream(new byte[0]),
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err, "completion", shell);
		assertThat(status).isZero();
		return out.toString(StandardCharsets.UTF_8);
	}

	/** What bash offers for {@code line} (completing its last word), space-separated. */
	private String complete(Path script, String line) throws Exception {
		String words = line.endsWith(" ") ? line + "''" : line;
		// compopt works only inside a completion bash itself runs: a no-op here.
		String program = "source " + script + "\ncompopt() { :; }\nCOMP_WORDS=(" + words
				+ ")\nCOMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n" + "COMP_LINE='" + line
				+ "'\nCOMP_POINT=${#COMP_LINE}\n_complete_gistgrep\necho \"${COMPREPLY[*]}\"\n";
		Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return output;
	}

}
