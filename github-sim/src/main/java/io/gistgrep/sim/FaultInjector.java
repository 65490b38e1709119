package io.gistgrep.sim;

import java.time.Duration;
import java.util.Random;

/**
 * Draws the injected latency and failures of each listener from generators seeded by the
 * current {@link SimFaults}.
 */
final class FaultInjector {

	enum Listener {

		API, RAW

	}

	private record State(SimFaults faults, Random api, Random raw) {
	}

	private volatile State state;

	FaultInjector(SimFaults faults) {
		this.state = stateOf(faults);
	}

	void replace(SimFaults faults) {
		this.state = stateOf(faults);
	}

	SimFaults faults() {
		return this.state.faults();
	}

	/**
	 * Waits for the listener's latency. Handlers run on virtual threads, so a sleep costs
	 * no platform thread.
	 */
	void delay(Listener listener) throws InterruptedException {
		SimFaults faults = this.state.faults();
		Duration latency = (listener == Listener.API) ? faults.apiLatency() : faults.rawLatency();
		if (latency.isPositive()) {
			Thread.sleep(latency);
		}
	}

	boolean shouldFail(Listener listener) {
		State state = this.state;
		double rate = (listener == Listener.API) ? state.faults().apiErrorRate() : state.faults().rawErrorRate();
		if (rate <= 0) {
			return false;
		}
		Random random = (listener == Listener.API) ? state.api() : state.raw();
		return random.nextDouble() < rate;
	}

	private static State stateOf(SimFaults faults) {
		return new State(faults, new Random(faults.seed()), new Random(~faults.seed()));
	}

}
