/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
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

	private final List<LoopRunner> runners = new ArrayList<>();

	@AfterEach
	void closeRunners() {
		this.runners.forEach(LoopRunner::close);
	}

	private LoopRunner runner(LoopRunner.Builder builder) {
		LoopRunner runner = builder.build();
		this.runners.add(runner);
		return runner;
	}

	// Item 5: closing waited a whole call timeout per managed resource when the loop was
	// stuck (budget 500 ms, 2 resources, call timeout 3 s: 7.5 s).
	@Test
	void closeIsBoundedByTheShutdownBudgetWhenTheLoopIsStuck() throws Exception {
		LoopRunner loop = runner(LoopRunner.builder()
			.shutdownTimeout(Duration.ofMillis(500))
			.callTimeout(Duration.ofSeconds(3))
			.stallListener((event) -> {
			}));
		loop.manage(Mono.just("first"), (resource) -> Mono.empty());
		loop.manage(Mono.just("second"), (resource) -> Mono.empty());
		CountDownLatch stuck = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		loop.submit(Mono.fromRunnable(() -> {
			stuck.countDown();
			try {
				never.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
		assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();
		long start = System.nanoTime();
		loop.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		System.out.println("[reliability] close with a stuck loop and 2 managed resources took " + took.toMillis()
				+ " ms (budget 500 ms, call timeout 3 s)");
		// The budget, then the loop's own stop (1 s to end, then an interrupt).
		assertThat(took).isLessThan(Duration.ofMillis(500 + 1_000 + 1_000));
	}

	// Item 9: futures of submitted work completed on the thread that signalled (a Reactor
	// timer), the cancel handlers of timed-out run(..) work ran on the caller's thread,
	// and manage(..)'s closer function was called on the closing thread.
	@Test
	void submittedWorkCompletesOnTheLoopEvenWhenItSignalsElsewhere() throws Exception {
		LoopRunner loop = runner(LoopRunner.builder());
		CompletableFuture<Thread> completedOn = new CompletableFuture<>();
		loop.submit(Mono.delay(Duration.ofMillis(50)).thenReturn(1))
			.whenComplete((value, error) -> completedOn.complete(Thread.currentThread()));
		assertThat(completedOn.get(5, TimeUnit.SECONDS).getName()).startsWith("bridge-loop-");
	}

	@Test
	void cancelHandlersOfTimedOutWorkRunOnTheLoop() throws Exception {
		LoopRunner loop = runner(LoopRunner.builder());
		CompletableFuture<Boolean> cancelledOnLoop = new CompletableFuture<>();
		assertThatExceptionOfType(LoopTimeoutException.class).isThrownBy(() -> loop
			.run(Mono.never().doOnCancel(() -> cancelledOnLoop.complete(loop.inLoop())), Duration.ofMillis(100)));
		assertThat(cancelledOnLoop.get(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void managedClosersAreCalledOnTheLoop() throws Exception {
		LoopRunner loop = runner(LoopRunner.builder());
		CompletableFuture<Boolean> closerOnLoop = new CompletableFuture<>();
		loop.manage(Mono.just("resource"), (resource) -> {
			closerOnLoop.complete(loop.inLoop());
			return Mono.empty();
		});
		loop.close();
		assertThat(closerOnLoop.get(5, TimeUnit.SECONDS)).isTrue();
	}

	// Item 12: an interrupted stream consumer was told it timed out.
	@Test
	void anInterruptedStreamConsumerGetsTheInterruptsOutcomeAndKeepsItsFlag() throws Exception {
		LoopRunner loop = runner(LoopRunner.builder());
		CompletableFuture<Throwable> failure = new CompletableFuture<>();
		AtomicBoolean flagKept = new AtomicBoolean();
		Thread consumer = new Thread(() -> {
			try (Stream<Object> stream = loop.stream(Flux.never())) {
				stream.forEach((item) -> {
				});
			}
			catch (Throwable ex) {
				flagKept.set(Thread.currentThread().isInterrupted());
				failure.complete(ex);
			}
		}, "stream-consumer");
		consumer.start();
		await().atMost(5, TimeUnit.SECONDS)
			.until(() -> consumer.getState() == Thread.State.WAITING
					|| consumer.getState() == Thread.State.TIMED_WAITING);
		consumer.interrupt();
		Throwable error = failure.get(5, TimeUnit.SECONDS);
		assertThat(error).isInstanceOf(CancellationException.class)
			.isNotInstanceOf(LoopTimeoutException.class)
			.hasMessageContaining("interrupted");
		assertThat(flagKept).isTrue();
	}

	// Item 14: interrupting the caller of a call(..) already running on the loop said
	// "the
	// work was cancelled", though the code runs on to its end.
	@Test
	void interruptingTheCallerOfRunningLoopCodeSaysItRunsOn() throws Exception {
		LoopRunner loop = runner(LoopRunner.builder());
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Throwable> failure = new CompletableFuture<>();
		Thread caller = new Thread(() -> {
			try {
				loop.call(() -> {
					running.countDown();
					return release.await(10, TimeUnit.SECONDS);
				});
			}
			catch (Throwable ex) {
				failure.complete(ex);
			}
		}, "interrupted-caller");
		caller.start();
		try {
			assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
			caller.interrupt();
			assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class)
				.hasMessageContaining("was interrupted")
				.hasMessageContaining("already running on the loop")
				.hasMessageNotContaining("the work was cancelled");
		}
		finally {
			release.countDown();
		}
	}

	// Item 6: a stream left unread part way (findFirst, anyMatch, limit) is not closed by
	// java.util.stream, and stayed in flight for good: 2,000 of them made close wait out
	// its budget.
	@Test
	void streamsDroppedUnreadAreReleasedOnceUnreachable() {
		LoopRunner loop = runner(LoopRunner.builder().stallThreshold(Duration.ofMillis(40)));
		for (int i = 0; i < 2_000; i++) {
			assertThat(loop.stream(Flux.range(0, 1_000)).findFirst()).contains(0);
		}
		await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
			System.gc();
			return loop.stats().inFlight() == 0;
		});
		assertThat(loop.stats().cancelled()).isEqualTo(2_000);
	}

	// Also in issue 11: a caller spun, then yielded, for up to ~220 µs before it parked,
	// so callers waiting on a busy loop burnt a core between them. Here each loop task
	// parks for 100 µs (it is slow but uses no CPU), so what the callers' threads use is
	// what waiting costs them: about 0.7 of a core each before the change.
	@Test
	void callersOfABusyLoopParkInsteadOfSpendingTheirWaitOnTheCpu() throws Exception {
		assumeThat(ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported()).isTrue();
		LoopRunner loop = runner(LoopRunner.builder());
		Callable<Integer> slowTask = () -> {
			LockSupport.parkNanos(100_000);
			return 1;
		};
		int callers = 2;
		ExecutorService threads = Executors.newFixedThreadPool(callers);
		try {
			List<Future<long[]>> used = new ArrayList<>();
			for (int c = 0; c < callers; c++) {
				used.add(threads.submit(() -> {
					ThreadMXBean mx = ManagementFactory.getThreadMXBean();
					// First the loop learns how long its tasks run.
					for (int i = 0; i < 50; i++) {
						loop.call(slowTask);
					}
					long cpu = mx.getCurrentThreadCpuTime();
					long wall = System.nanoTime();
					for (int i = 0; i < 500; i++) {
						loop.call(slowTask);
					}
					return new long[] { mx.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall };
				}));
			}
			for (Future<long[]> caller : used) {
				long[] cpuAndWall = caller.get(60, TimeUnit.SECONDS);
				System.out.printf("[reliability] a caller waiting on a busy loop used %d µs CPU in %d µs%n",
						cpuAndWall[0] / 1000, cpuAndWall[1] / 1000);
				assertThat((double) cpuAndWall[0] / cpuAndWall[1])
					.as("CPU time of a waiting caller per wall time of its waits (%d µs CPU in %d µs)",
							cpuAndWall[0] / 1000, cpuAndWall[1] / 1000)
					.isLessThan(0.2);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

}
