package io.gistgrep.cli;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;

import sun.misc.Signal;

/**
 * The {@code gistgrep} process: the real streams, terminal and Ctrl-C, then the exit
 * status.
 */
public final class Main {

	private Main() {
	}

	public static void main(String[] args) {
		// A POST that fails on a reused connection is not sent again behind our back: a
		// job submitted twice. (bin/gistgrep passes it too, before any class reads it.)
		System.setProperty("sun.net.http.retryPost", "false");
		PrintStream err = System.err;
		Interrupts interrupts = new Interrupts(() -> {
			// Not through System.err or System.out: the main thread may hold their locks,
			// blocked on a full pipe (a paused pager), and this thread would wait with
			// it.
			// A newline, so that the shell's prompt starts on a line of its own.
			try {
				new FileOutputStream(FileDescriptor.err).write('\n');
			}
			catch (IOException ex) {
				// Leaving anyway.
			}
			// halt, not exit: no shutdown hooks to wait for.
			Runtime.getRuntime().halt(Gistgrep.INTERRUPTED);
		});
		// sun.misc.Signal (jdk.unsupported) is the JDK's only way to catch SIGINT without
		// the JVM shutting down: search must be able to ask before it leaves.
		// When the shell started us with SIGINT ignored (a background job), it stays
		// ignored: the JVM leaves such a signal alone, as every Unix program should.
		Signal.handle(new Signal("INT"), (signal) -> interrupts.signal());
		Charset stdin = Charset.forName(System.getProperty("stdin.encoding", Charset.defaultCharset().name()),
				Charset.defaultCharset());
		Shell shell = new Shell(System.out, err, new BufferedReader(new InputStreamReader(System.in, stdin)),
				Terminal.detect(System.getenv()), System.getenv(), ZoneId.systemDefault(), interrupts);
		int status = Gistgrep.run(shell, args);
		System.out.flush();
		System.exit(status);
	}

	/**
	 * Runs the client as {@link #main} does, but on the given streams and environment,
	 * with no terminal and no Ctrl-C: for tests, which run it against a real stack.
	 * Answers the exit status.
	 */
	public static int run(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, String... args) {
		Interrupts interrupts = new Interrupts(() -> {
			throw new IllegalStateException("no Ctrl-C reaches a client run in-process");
		});
		Shell shell = new Shell(out, err, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
				Terminal.none(), env, ZoneId.systemDefault(), interrupts);
		return Gistgrep.run(shell, args);
	}

}
