package io.gistgrep.worker.scan;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Work on each of a batch's items at once, one virtual thread each. */
final class VirtualThreads {

	private static final Logger log = LoggerFactory.getLogger(VirtualThreads.class);

	private VirtualThreads() {
	}

	/**
	 * Runs {@code work} for each item on its own virtual thread, and waits for all. A
	 * throw is logged here, not on the default handler's stderr; the item is left as the
	 * work left it (a scan task left unsettled goes back to its queue).
	 */
	static <T> void each(List<T> items, Consumer<T> work) {
		if (items.size() == 1) {
			work.accept(items.getFirst());
			return;
		}
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			for (T item : items) {
				executor.execute(() -> {
					try {
						work.accept(item);
					}
					catch (RuntimeException | Error ex) {
						log.error("Work on {} failed unexpectedly", item, ex);
					}
				});
			}
		}
	}

}
