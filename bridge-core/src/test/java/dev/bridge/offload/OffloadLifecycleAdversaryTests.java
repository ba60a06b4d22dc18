/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.lifecycle.ShuttingDownException;
import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adversarial tests of the offload pools' lifecycle: pause, resume, awaitQuiescence and
 * the two-step shutdown racing calls, cancels and timeouts.
 */
@Timeout(120)
class OffloadLifecycleAdversaryTests {

	/**
	 * Guarantee 4: awaitQuiescence after a pause returns when the calls running at the
	 * pause end, even when a resume came meanwhile and new calls run.
	 */
	@Test
	void awaitQuiescenceWaitsOnlyForTheCallsRunningAtThePause() throws Exception {
		Offloader offloader = Offloader.builder()
			.defaultPool((pool) -> pool.maxConcurrency(4).threads(ThreadMode.PLATFORM))
			.build();
		CountDownLatch releaseFirst = new CountDownLatch(1);
		CountDownLatch releaseLater = new CountDownLatch(1);
		CountDownLatch firstStarted = new CountDownLatch(1);
		try {
			CompletableFuture<Integer> first = offloader.future(() -> {
				firstStarted.countDown();
				releaseFirst.await();
				return 1;
			});
			firstStarted.await();
			offloader.pause();
			CompletableFuture<Integer> held = offloader.future(() -> {
				releaseLater.await();
				return 2;
			});
			CompletableFuture<Integer> waited = CompletableFuture
				.supplyAsync(() -> offloader.awaitQuiescence(Duration.ofSeconds(3)));
			assertThat(offloader.resume()).isEqualTo(1);
			CompletableFuture<Integer> later = offloader.future(() -> {
				releaseLater.await();
				return 3;
			});
			releaseFirst.countDown();
			assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
			long start = System.nanoTime();
			assertThat(waited.get(5, TimeUnit.SECONDS)).as("calls reported still running").isZero();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			releaseLater.countDown();
			assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo(2);
			assertThat(later.get(5, TimeUnit.SECONDS)).isEqualTo(3);
		}
		finally {
			releaseFirst.countDown();
			releaseLater.countDown();
			offloader.close();
		}
	}

	/**
	 * Guarantee 4: a shutdown while paused cancels the held calls at once, not after the
	 * running calls drained.
	 */
	@Test
	void aShutdownWhilePausedCancelsHeldCallsAtOnce() throws Exception {
		Offloader offloader = Offloader.builder()
			.defaultPool((pool) -> pool.maxConcurrency(2).threads(ThreadMode.PLATFORM))
			.build();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(1);
		try {
			CompletableFuture<Integer> running = offloader.future(() -> {
				started.countDown();
				release.await();
				return 1;
			});
			started.await();
			offloader.pause();
			AtomicBoolean heldRan = new AtomicBoolean();
			CompletableFuture<Integer> held = offloader.future(() -> {
				heldRan.set(true);
				return 2;
			});
			assertThat(offloader.stats().held()).isEqualTo(1);
			CompletableFuture<ShutdownReport> report = CompletableFuture
				.supplyAsync(() -> offloader.finishShutdown(Duration.ofSeconds(10)));
			Throwable outcome = outcomeOf(held, 2);
			assertThat(outcome).as("held call's outcome within 2 s of the shutdown")
				.isInstanceOf(CancelledByShutdownException.class);
			release.countDown();
			assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(1);
			ShutdownReport done = report.get(5, TimeUnit.SECONDS);
			assertThat(done.drained()).isEqualTo(1);
			assertThat(done.cancelled()).isEqualTo(1);
			assertThat(heldRan).isFalse();
		}
		finally {
			release.countDown();
			offloader.close();
		}
	}

	/**
	 * Guarantee 3: a caller's cancel racing the shutdown's cancel of a running call: the
	 * report counts it cancelled only when its caller got a CancelledByShutdownException.
	 */
	@Test
	void aCallersCancelRacingTheShutdownsCancelAgreesWithTheReport() throws Exception {
		int mismatches = 0;
		int rounds = 200;
		for (int round = 0; round < rounds; round++) {
			Offloader offloader = Offloader.builder()
				.defaultPool((pool) -> pool.maxConcurrency(1).queueCapacity(0).threads(ThreadMode.PLATFORM))
				.callObserver(new SlowObserver())
				.build();
			CountDownLatch started = new CountDownLatch(1);
			CompletableFuture<Integer> call = offloader.future(() -> {
				started.countDown();
				while (!Thread.currentThread().isInterrupted()) {
					Thread.onSpinWait();
				}
				return 1;
			});
			started.await();
			AtomicBoolean ready = new AtomicBoolean();
			AtomicBoolean go = new AtomicBoolean();
			int cancelDelay = round % 32;
			int shutdownDelay = (round / 32) % 2;
			Thread canceller = new Thread(() -> {
				ready.set(true);
				while (!go.get()) {
					Thread.onSpinWait();
				}
				spin(cancelDelay * 64);
				call.cancel(true);
			});
			canceller.start();
			while (!ready.get()) {
				Thread.onSpinWait();
			}
			go.set(true);
			spin(shutdownDelay * 32);
			ShutdownReport report = offloader.finishShutdown(Duration.ZERO);
			canceller.join();
			Throwable outcome = outcomeOf(call, 5);
			assertThat(outcome).isInstanceOf(CancellationException.class);
			boolean shutdownSaysCancelled = report.cancelled() == 1;
			if (shutdownSaysCancelled != (outcome instanceof CancelledByShutdownException)) {
				mismatches++;
			}
			assertThat(report.drained() + report.cancelled()).isLessThanOrEqualTo(1);
		}
		assertThat(mismatches).as("rounds of %d where the report and the caller disagree", rounds).isZero();
	}

	/**
	 * Guarantee 3: a call admitted just before the shutdown began but rejected at
	 * placement (queue full) is neither drained nor cancelled.
	 */
	@Test
	void aCallRejectedAtPlacementAcrossTheShutdownIsNotCountedDrained() throws Exception {
		int wrong = 0;
		int rounds = 500;
		for (int round = 0; round < rounds; round++) {
			Offloader offloader = Offloader.builder()
				.defaultPool((pool) -> pool.maxConcurrency(1)
					.queueCapacity(0)
					.timeout(Duration.ofSeconds(30))
					.threads(ThreadMode.PLATFORM))
				.build();
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<Integer> blocker = offloader.future(() -> {
				started.countDown();
				release.await();
				return 1;
			});
			started.await();
			AtomicBoolean ready = new AtomicBoolean();
			AtomicBoolean go = new AtomicBoolean();
			AtomicReference<Throwable> refused = new AtomicReference<>();
			int submitDelay = round % 2;
			int shutdownDelay = (round / 2) % 32;
			Thread submitter = new Thread(() -> {
				ready.set(true);
				while (!go.get()) {
					Thread.onSpinWait();
				}
				spin(submitDelay * 4);
				try {
					offloader.future(() -> 2);
				}
				catch (RuntimeException ex) {
					refused.set(ex);
				}
			});
			submitter.start();
			while (!ready.get()) {
				Thread.onSpinWait();
			}
			go.set(true);
			spin(shutdownDelay * 4);
			offloader.beginShutdown();
			submitter.join();
			release.countDown();
			assertThat(blocker.get(5, TimeUnit.SECONDS)).isEqualTo(1);
			ShutdownReport report = offloader.finishShutdown(Duration.ofSeconds(5));
			assertThat(refused.get()).isInstanceOfAny(OffloadRejectedException.class, ShuttingDownException.class);
			assertThat(report.cancelled()).isZero();
			if (report.drained() != 1) {
				wrong++;
			}
		}
		assertThat(wrong).as("rounds of %d where a refused call was reported drained", rounds).isZero();
	}

	/**
	 * Guarantees 1 and 2: calls (future and mono, some cancelled, some timed out) racing
	 * pause, resume and the two-step shutdown on 1-slot pools with queues of 0 to 2 each
	 * get exactly one outcome, no body starts after its caller was cancelled by the
	 * shutdown, the report matches the callers, and the pool ends empty.
	 */
	@Test
	void callsRacingTheLifecycleEachGetOneOutcome() throws Exception {
		runLifecycleStorm(ThreadMode.PLATFORM, 300);
	}

	/**
	 * Guarantees 1 and 2, as above, on a virtual pool (runs when virtual threads are
	 * available, JDK 21+).
	 */
	@Test
	void callsRacingTheLifecycleEachGetOneOutcomeOnVirtualThreads() throws Exception {
		if (!VirtualThreads.AVAILABLE) {
			return;
		}
		runLifecycleStorm(ThreadMode.VIRTUAL, 300);
	}

	private void runLifecycleStorm(ThreadMode threads, int rounds) throws Exception {
		for (int round = 0; round < rounds; round++) {
			int capacity = round % 3;
			boolean mono = (round & 4) != 0;
			Offloader offloader = Offloader.builder()
				.interruptOnCancel(true)
				.defaultPool((pool) -> pool.maxConcurrency(1).queueCapacity(capacity).threads(threads))
				.build();
			Offloader timed = offloader.timeout(Duration.ofMillis(1));
			int callers = 2;
			int perCaller = 6;
			List<Call> calls = new ArrayList<>();
			Object lock = new Object();
			AtomicBoolean go = new AtomicBoolean();
			AtomicInteger ready = new AtomicInteger();
			AtomicInteger submittedOk = new AtomicInteger();
			List<Thread> threadsList = new ArrayList<>();
			for (int c = 0; c < callers; c++) {
				int caller = c;
				Thread thread = new Thread(() -> {
					ready.incrementAndGet();
					while (!go.get()) {
						Thread.onSpinWait();
					}
					for (int i = 0; i < perCaller; i++) {
						Call call = new Call();
						Offloader target = ((i + caller) % 5 == 4) ? timed : offloader;
						java.util.concurrent.Callable<Integer> body = () -> {
							call.bodyStarted.set(true);
							// Told it was cancelled by the shutdown, yet never
							// interrupted:
							// the body started after the cancel (a body running at the
							// cancel is interrupted before its caller is told).
							if (call.cancelledByShutdown.get() && !Thread.currentThread().isInterrupted()) {
								call.startedAfterShutdownCancel.set(true);
							}
							spin(200);
							return 7;
						};
						try {
							if (mono) {
								CompletableFuture<Integer> result = new CompletableFuture<>();
								Disposable subscription = target.mono(body)
									.subscribe(result::complete, result::completeExceptionally);
								call.future = result;
								if (i % 3 == 2) {
									subscription.dispose();
									call.disposed = true;
								}
							}
							else {
								call.future = target.future(body);
								if (i % 3 == 2) {
									call.future.cancel(true);
								}
							}
							submittedOk.incrementAndGet();
						}
						catch (RuntimeException ex) {
							call.refusedAtSubmit = ex;
						}
						CompletableFuture<Integer> future = call.future;
						if (future != null) {
							call.observed = future.whenComplete((value, error) -> {
								call.outcomes.incrementAndGet();
								Throwable cause = (error instanceof CompletionException) ? error.getCause() : error;
								if (cause instanceof CancelledByShutdownException) {
									call.cancelledByShutdown.set(true);
									if (call.bodyStarted.get()) {
										call.startedBeforeCancel.set(true);
									}
								}
							});
						}
						synchronized (lock) {
							calls.add(call);
						}
					}
				});
				thread.start();
				threadsList.add(thread);
			}
			while (ready.get() != callers) {
				Thread.onSpinWait();
			}
			go.set(true);
			spin((round % 7) * 50);
			offloader.pause();
			spin((round % 5) * 50);
			if ((round & 1) == 0) {
				offloader.resume();
			}
			spin((round % 3) * 50);
			offloader.beginShutdown();
			ShutdownReport report = offloader.finishShutdown(Duration.ofMillis((round % 4 == 0) ? 0 : 20));
			for (Thread thread : threadsList) {
				thread.join();
			}
			int byShutdown = 0;
			for (Call call : calls) {
				if (call.refusedAtSubmit != null) {
					assertThat(call.refusedAtSubmit).isInstanceOfAny(ShuttingDownException.class,
							OffloadRejectedException.class);
					continue;
				}
				if (call.disposed) {
					continue;
				}
				Throwable outcome = outcomeOf(call.observed, 5);
				assertThat(outcome instanceof java.util.concurrent.TimeoutException).as("round %d: no outcome", round)
					.isFalse();
				assertThat(call.outcomes.get()).as("round %d: outcomes of one call", round).isEqualTo(1);
				if (outcome instanceof CancelledByShutdownException) {
					byShutdown++;
				}
			}
			for (Call call : calls) {
				assertThat(call.startedAfterShutdownCancel).as("round %d: body started after cancel", round).isFalse();
			}
			if (!mono) {
				assertThat(report.cancelled()).as("round %d: report vs callers %s", round, report)
					.isEqualTo(byShutdown);
			}
			List<String> seen = new ArrayList<>();
			for (Call call : calls) {
				seen.add((call.refusedAtSubmit != null) ? "refused:" + call.refusedAtSubmit.getClass().getSimpleName()
						: call.disposed ? "disposed" : String.valueOf(describe(call.future)));
			}
			assertThat(report.drained() + report.cancelled())
				.as("round %d (mono %s): %s, submitted %d: %s", round, mono, report, submittedOk.get(), seen)
				.isLessThanOrEqualTo(submittedOk.get());
			OffloadStats stats = awaitIdle(offloader);
			assertThat(stats.active()).as("round %d: %s", round, stats).isZero();
			assertThat(stats.queued()).as("round %d: %s", round, stats).isZero();
			assertThat(stats.held()).as("round %d: %s", round, stats).isZero();
			assertThat(offloader.awaitQuiescence(Duration.ZERO)).isZero();
		}
	}

	/**
	 * Records each call's end, taking a few microseconds to (as a metrics exporter may).
	 */
	private static final class SlowObserver implements Offloader.CallObserver {

		@Override
		public Object submitted(String pool, String task) {
			return task;
		}

		@Override
		public AutoCloseable started(Object state, long queueWaitNanos) {
			return null;
		}

		@Override
		public void finished(Object state, String outcome, long ranNanos, Throwable error) {
			spin(5_000);
		}

	}

	private static String describe(CompletableFuture<?> future) {
		try {
			Throwable outcome = outcomeOf(future, 0);
			return (outcome != null) ? outcome.getClass().getSimpleName() : "value";
		}
		catch (InterruptedException ex) {
			return "interrupted";
		}
	}

	private static OffloadStats awaitIdle(Offloader offloader) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		OffloadStats stats = offloader.stats();
		while ((stats.active() != 0 || stats.queued() != 0 || stats.held() != 0) && System.nanoTime() < deadline) {
			Thread.yield();
			stats = offloader.stats();
		}
		return stats;
	}

	private static final class Call {

		volatile CompletableFuture<Integer> future;

		/** Completes after the outcome was counted. */
		volatile CompletableFuture<Integer> observed;

		volatile RuntimeException refusedAtSubmit;

		volatile boolean disposed;

		final AtomicInteger outcomes = new AtomicInteger();

		final AtomicBoolean bodyStarted = new AtomicBoolean();

		final AtomicBoolean cancelledByShutdown = new AtomicBoolean();

		final AtomicBoolean startedBeforeCancel = new AtomicBoolean();

		final AtomicBoolean startedAfterShutdownCancel = new AtomicBoolean();

	}

	/**
	 * The call's exception as it completed the future (null for a value), or a
	 * TimeoutException when none came. (Read through handle: from JDK 23, get() wraps a
	 * CancellationException subclass in a new CancellationException.)
	 */
	private static Throwable outcomeOf(CompletableFuture<?> future, int seconds) throws InterruptedException {
		try {
			Throwable error = future.handle((value, failure) -> failure).get(seconds, TimeUnit.SECONDS);
			return (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (java.util.concurrent.TimeoutException ex) {
			return ex;
		}
	}

	private static void spin(int times) {
		for (int i = 0; i < times; i++) {
			Thread.onSpinWait();
		}
	}

}
