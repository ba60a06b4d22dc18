/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.bridge.lifecycle.WorkGateContract;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoopGate} against the contract it shares with the pools' gate, and the race only
 * the loop has: a unit ended by its timer while it is being admitted.
 */
class LoopGateTests extends WorkGateContract<LoopGate, TrackedWork> {

	@Override
	protected LoopGate newGate() {
		return new LoopGate();
	}

	@Override
	protected TrackedWork unit(String name) {
		return new Unit(name);
	}

	@Override
	protected String admit(LoopGate gate, TrackedWork unit, Runnable dispatch) {
		return gate.admit(unit, dispatch).name();
	}

	@Override
	protected void remove(LoopGate gate, TrackedWork unit) {
		gate.remove(unit);
	}

	@Override
	protected boolean pause(LoopGate gate) {
		return gate.pause();
	}

	@Override
	protected int resume(LoopGate gate) {
		return gate.resume();
	}

	@Override
	protected void stopAccepting(LoopGate gate) {
		gate.stopAccepting();
	}

	@Override
	protected List<TrackedWork> takeHeld(LoopGate gate) {
		return gate.takeHeld();
	}

	@Override
	protected List<TrackedWork> awaitDrained(LoopGate gate, long deadline) {
		return gate.awaitDrained(deadline);
	}

	@Override
	protected int size(LoopGate gate) {
		return gate.size();
	}

	@Override
	protected int held(LoopGate gate) {
		return gate.held();
	}

	@Override
	protected int inFlightAtShutdown(LoopGate gate) {
		return gate.inFlightAtShutdown();
	}

	@Override
	protected String phase(LoopGate gate) {
		return gate.phase().name();
	}

	@Test
	void workEndingWhileItIsAdmittedIsNeverLeftTracked() throws Exception {
		// A timer may cancel work (remove) before admit has returned, paused or not. Both
		// threads spin, so the remove lands within nanoseconds of the admission, and each
		// waits a swept number of spins first, so it lands before, within and after it.
		for (int round = 0; round < 1_024; round++) {
			LoopGate racing = newGate();
			if (round % 2 == 1) {
				racing.pause();
			}
			TrackedWork unit = unit("raced");
			AtomicBoolean ready = new AtomicBoolean();
			AtomicBoolean go = new AtomicBoolean();
			int timerDelay = (round / 2) % 8;
			int admitDelay = (round / 16) % 8;
			Thread timer = new Thread(() -> {
				ready.set(true);
				while (!go.get()) {
					Thread.onSpinWait();
				}
				spin(timerDelay * 4);
				racing.remove(unit);
			});
			timer.start();
			while (!ready.get()) {
				Thread.yield();
			}
			go.set(true);
			spin(admitDelay * 16);
			racing.admit(unit, () -> {
			});
			timer.join();
			racing.resume();
			assertThat(racing.awaitDrained(System.nanoTime())).as("round %d", round).isEmpty();
			assertThat(racing.size()).as("round %d", round).isZero();
		}
	}

	private static void spin(int times) {
		for (int i = 0; i < times; i++) {
			Thread.onSpinWait();
		}
	}

	private static final class Unit extends TrackedWork {

		Unit(String name) {
			super(name);
		}

		@Override
		boolean cancel(Throwable reason) {
			return false;
		}

	}

}
