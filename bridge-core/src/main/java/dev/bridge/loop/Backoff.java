/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The adaptive idle strategy of the loop and of its waiting callers: spin briefly, then
 * yield, then park. Waking a parked thread costs tens of microseconds on small VMs, so a
 * hand-off that completes within the spin window never parks; a thread idle for longer
 * parks and costs nothing. Spinning threads yield every few microseconds, and only a
 * bounded number of callers spin at once (the others only yield), so waiting callers
 * cannot starve the loop of cores.
 */
final class Backoff {

	/** How long the loop spins when idle before it yields. */
	static final long SPIN_NANOS = 50_000;

	/**
	 * How long a caller spins for its result. A round trip to a running loop takes well
	 * under a microsecond, so a caller that has spun this long is likely sharing a core
	 * with the loop and does better to yield it.
	 */
	static final long CALLER_SPIN_NANOS = 20_000;

	static final long YIELD_NANOS = 200_000;

	/**
	 * A caller expecting to wait longer than this parks at once. Waking a parked thread
	 * costs 7 to 40 µs here: beyond this, the wake-up adds little to the wait, while
	 * spinning or yielding through it would cost the whole wait in CPU.
	 */
	static final long PARK_AT_ONCE_NANOS = 50_000;

	private static final int MAX_SPINNING_CALLERS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

	private static final AtomicInteger spinningCallers = new AtomicInteger();

	private Backoff() {
	}

	/**
	 * Waits until {@code condition} holds or {@code deadline} passes: spins, then yields,
	 * then parks, but parks at once, or as soon as it sees it, when {@code expectedWait}
	 * (how long the loop needs for the work queued before it, and for the running task)
	 * is longer than a wake-up costs. A thread that parks must be woken by whoever makes
	 * the condition true ({@code LockSupport.unpark}) after publishing it; {@code onPark}
	 * publishes the waiting thread first.
	 * @return whether the condition holds
	 */
	static boolean await(Condition condition, long deadline, LongSupplier expectedWait, Runnable onPark) {
		if (condition.holds()) {
			return true;
		}
		if (expectedWait.getAsLong() < PARK_AT_ONCE_NANOS && spinThenYield(condition, expectedWait)) {
			return true;
		}
		onPark.run();
		while (!condition.holds()) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0 || Thread.currentThread().isInterrupted()) {
				return condition.holds();
			}
			LockSupport.parkNanos(condition, remaining);
		}
		return true;
	}

	private static boolean spinThenYield(Condition condition, LongSupplier expectedWait) {
		try {
			if (spinningCallers.incrementAndGet() <= MAX_SPINNING_CALLERS
					&& spin(condition, System.nanoTime() + CALLER_SPIN_NANOS)) {
				return true;
			}
		}
		finally {
			spinningCallers.decrementAndGet();
		}
		// Callers beyond the spinning budget yield at once: a yield leaves the core to
		// the loop and to the spinning caller, and still sees a result that arrives
		// within microseconds, which parking (tens of microseconds to wake) would not.
		long yieldUntil = System.nanoTime() + YIELD_NANOS;
		while (System.nanoTime() - yieldUntil < 0) {
			Thread.yield();
			if (condition.holds()) {
				return true;
			}
			if (expectedWait.getAsLong() >= PARK_AT_ONCE_NANOS) {
				return false;
			}
		}
		return false;
	}

	static boolean spin(Condition condition, long spinUntil) {
		for (int i = 1;; i++) {
			if (condition.holds()) {
				return true;
			}
			Thread.onSpinWait();
			if ((i & 63) == 0) {
				if (System.nanoTime() - spinUntil > 0) {
					return false;
				}
				// Every few microseconds: on a machine with few cores the thread that
				// will make the condition true may be waiting for this one's core.
				Thread.yield();
			}
		}
	}

	@FunctionalInterface
	interface Condition {

		boolean holds();

	}

}
