/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regression tests for the loop defects of issue 11 (Reliability II): each failed before
 * its fix.
 */
@Timeout(120)
class LoopReliabilityIITests {

	// Item 4: execute() checked `stopping`, then offered; the loop ended on an empty
	// queue once `stopping` was set, so a command accepted in between never ran.
	@Test
	@Tag("stress")
	void everyCommandTheLoopAcceptsRunsEvenWhenItRacesTheStop() throws Exception {
		int rounds = 600;
		int producers = 4;
		ExecutorService threads = Executors.newFixedThreadPool(producers);
		int lossyRounds = 0;
		long lost = 0;
		try {
			for (int round = 0; round < rounds; round++) {
				LoopExecutor loop = new LoopExecutor(null, "stop-race-" + round);
				AtomicLong accepted = new AtomicLong();
				AtomicLong ran = new AtomicLong();
				AtomicInteger started = new AtomicInteger();
				List<Future<?>> running = new ArrayList<>();
				for (int p = 0; p < producers; p++) {
					running.add(threads.submit(() -> {
						started.incrementAndGet();
						for (int i = 0; i < 2_000; i++) {
							try {
								loop.execute(ran::incrementAndGet);
							}
							catch (RejectedExecutionException ex) {
								return;
							}
							accepted.incrementAndGet();
						}
					}));
				}
				while (started.get() < producers || accepted.get() < 100) {
					Thread.yield();
				}
				assertThat(loop.stop(5_000)).isTrue();
				for (Future<?> producer : running) {
					producer.get(10, TimeUnit.SECONDS);
				}
				if (ran.get() != accepted.get()) {
					lossyRounds++;
					lost += accepted.get() - ran.get();
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
		System.out.println("[reliability] stop race: " + lossyRounds + " of " + rounds + " rounds lost " + lost
				+ " accepted commands");
		assertThat(lossyRounds).as("rounds in which an accepted command never ran").isZero();
	}

	// Item 11: park() returns at once while the interrupt flag is set, so an interrupted
	// idle loop spun at 100% of a core. It must clear the flag and park.
	@Test
	void anInterruptedIdleLoopParksAgain() {
		LoopExecutor loop = new LoopExecutor(null, "interrupted-idle");
		try {
			await().atMost(5, TimeUnit.SECONDS).until(() -> loop.thread().getState() == Thread.State.WAITING);
			loop.thread().interrupt();
			await().atMost(5, TimeUnit.SECONDS)
				.until(() -> loop.thread().getState() == Thread.State.WAITING && !loop.thread().isInterrupted());
			AtomicInteger ran = new AtomicInteger();
			loop.execute(ran::incrementAndGet);
			await().atMost(5, TimeUnit.SECONDS).until(() -> ran.get() == 1);
		}
		finally {
			loop.stop(1_000);
		}
	}

}
