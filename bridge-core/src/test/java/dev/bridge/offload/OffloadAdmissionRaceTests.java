/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bridge.offload.Offloader.PoolSpec;
import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call that ends (its subscriber cancels it from another thread) while the pool is
 * admitting it, running or paused: it must not stay counted in flight, or a later
 * {@code awaitQuiescence} or shutdown would wait for it until its budget runs out.
 */
@Timeout(60)
class OffloadAdmissionRaceTests {

	@Test
	void aCallEndingWhileItIsSubmittedIsNeverLeftInFlight() throws Exception {
		OffloadPool pool = new OffloadPool("race", new PoolSpec().maxConcurrency(4).threads(ThreadMode.PLATFORM));
		try {
			for (int round = 0; round < 1_024; round++) {
				boolean paused = round % 2 == 1;
				if (paused) {
					pool.pause();
				}
				OffloadTask<Integer> task = new OffloadTask<>("race-" + round, pool, () -> 1, null, true, 0);
				AtomicBoolean ready = new AtomicBoolean();
				AtomicBoolean go = new AtomicBoolean();
				int cancelDelay = (round / 2) % 8;
				int submitDelay = (round / 16) % 8;
				// Both sides spin, so the cancel lands within nanoseconds of the
				// admission,
				// and each waits a swept number of spins, so it lands before, within and
				// after it.
				Thread canceller = new Thread(() -> {
					ready.set(true);
					while (!go.get()) {
						Thread.onSpinWait();
					}
					spin(cancelDelay * 4);
					task.cancel(new IllegalStateException("cancelled by its subscriber"));
				});
				canceller.start();
				while (!ready.get()) {
					Thread.yield();
				}
				go.set(true);
				spin(submitDelay * 16);
				pool.submit(task, null);
				canceller.join();
				if (paused) {
					pool.resume();
				}
				assertThat(awaitNothingInFlight(pool)).as("calls left in flight after round %d", round).isZero();
			}
		}
		finally {
			pool.finishShutdown(System.nanoTime() + TimeUnit.SECONDS.toNanos(1), Duration.ofSeconds(1));
		}
	}

	/** Waits up to 5 s for the pool's calls to end; how many are still in flight. */
	private static int awaitNothingInFlight(OffloadPool pool) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		int left;
		while ((left = inFlight(pool)) != 0 && System.nanoTime() - deadline < 0) {
			Thread.yield();
		}
		return left;
	}

	private static int inFlight(OffloadPool pool) {
		AtomicInteger count = new AtomicInteger();
		pool.forEachRunning((task) -> count.incrementAndGet());
		return count.get() + pool.stats().held();
	}

	private static void spin(int times) {
		for (int i = 0; i < times; i++) {
			Thread.onSpinWait();
		}
	}

}
