package io.gistgrep.cli;

import java.util.Objects;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gistgrep completion bash|zsh}: the completion script picocli generates. The same
 * script serves zsh through its bash compatibility, which the script turns on itself.
 */
@Command(name = "completion", usageHelpAutoWidth = true, description = { "Print a shell completion script.",
		"  bash: source <(gistgrep completion bash)", "  zsh:  source <(gistgrep completion zsh)" })
final class CompletionCommand implements Callable<Integer> {

	/** The shells served. */
	enum ShellName {

		BASH, ZSH

	}

	@ParentCommand
	@Nullable Gistgrep root;

	@Spec
	@Nullable CommandSpec spec;

	@Parameters(index = "0", paramLabel = "<shell>", description = "bash or zsh.")
	ShellName shell = ShellName.BASH;

	@Override
	public Integer call() {
		CommandSpec top = Objects.requireNonNull(this.spec).root();
		Shell shell = Objects.requireNonNull(this.root).shell();
		shell.out().print(AutoComplete.bash("gistgrep", top.commandLine()));
		shell.out().flush();
		return Gistgrep.FOUND;
	}

}
