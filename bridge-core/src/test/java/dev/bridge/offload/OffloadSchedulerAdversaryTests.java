/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Adversarial tests of {@link Offloader#scheduler()} against its Javadoc and Reactor's
 * {@link Scheduler} contract.
 */
@Timeout(60)
class OffloadSchedulerAdversaryTests {

	@RegisterExtension
	final Offloaders offloaders = new Offloaders();

	private Offloader offloader(Offloader.Builder builder) {
		return this.offloaders.build(builder);
	}

	/**
	 * "The pool's timeout bounds each task, not a whole sequence": 40 tasks of 20 ms on
	 * one worker, one busy period of about 800 ms, under a 500 ms timeout.
	 */
	@Test
	void shortTasksOfALongBusyPeriodAreNotCancelledByThePoolTimeout() throws Exception {
		Offloader offloader = offloader(
				Offloader.builder().defaultPool((pool) -> pool.timeout(Duration.ofMillis(500))));
		Scheduler.Worker worker = offloader.scheduler().createWorker();
		int tasks = 40;
		CountDownLatch done = new CountDownLatch(tasks);
		AtomicInteger interrupted = new AtomicInteger();
		for (int i = 0; i < tasks; i++) {
			worker.schedule(() -> {
				try {
					// The task's own work, not a synchronisation.
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					interrupted.incrementAndGet();
				}
				done.countDown();
			});
		}
		assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> offloader.stats().active() == 0);
		assertThat(interrupted).hasValue(0);
		assertThat(offloader.stats().cancelled()).isZero();
		worker.dispose();
	}

	/**
	 * A task that alone outlives the timeout is still bounded by it.
	 */
	@Test
	void aTaskLongerThanThePoolTimeoutIsInterrupted() throws Exception {
		Offloader offloader = offloader(
				Offloader.builder().defaultPool((pool) -> pool.timeout(Duration.ofMillis(200))));
		Scheduler.Worker worker = offloader.scheduler().createWorker();
		CountDownLatch interrupted = new CountDownLatch(1);
		worker.schedule(() -> {
		});
		worker.schedule(() -> {
			try {
				new CountDownLatch(1).await(20, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
		worker.dispose();
	}

	/**
	 * A busy period cancelled by the pool's timeout while it waited in the pool's queue
	 * must not leave the worker accepting tasks it never runs: the worker ends once the
	 * cancel reaches it (a task scheduled while it travels is dropped, as the busy
	 * period's own tasks are).
	 */
	@Test
	void aBusyPeriodTimedOutInThePoolQueueDoesNotStrandItsWorker() throws Exception {
		Offloader offloader = offloader(Offloader.builder()
			.defaultPool((pool) -> pool.maxConcurrency(1).queueCapacity(5).timeout(Duration.ofMillis(200))));
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Boolean> blocker = offloader.timeout(Duration.ZERO)
			.future(() -> release.await(20, TimeUnit.SECONDS));
		Scheduler.Worker worker = offloader.scheduler().createWorker();
		worker.schedule(() -> {
		});
		await().atMost(Duration.ofSeconds(10)).until(worker::isDisposed);
		assertThat(offloader.stats().cancelled()).isOne();
		release.countDown();
		assertThat(blocker.get(10, TimeUnit.SECONDS)).isTrue();
		assertAcceptedTaskRunsOrIsRefused(worker);
	}

	/**
	 * A busy period held while the offloader is paused, then cancelled by its shutdown,
	 * must not leave the worker accepting tasks it never runs.
	 */
	@Test
	void aHeldBusyPeriodCancelledByShutdownDoesNotStrandItsWorker() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		Scheduler.Worker worker = offloader.scheduler().createWorker();
		offloader.pause();
		AtomicBoolean ran = new AtomicBoolean();
		worker.schedule(() -> ran.set(true));
		assertThat(offloader.stats().held()).isEqualTo(1);
		offloader.finishShutdown(Duration.ZERO);
		assertThat(ran).isFalse();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> worker.schedule(() -> {
		}));
	}

	/**
	 * Pause and resume while a worker has tasks queued: each runs once, in order, and the
	 * worker goes on after.
	 */
	@Test
	void pauseAndResumeLoseNoWorkerTaskAndRunNoneTwice() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		Scheduler.Worker worker = offloader.scheduler().createWorker();
		for (int round = 0; round < 50; round++) {
			Queue<Integer> ran = new ConcurrentLinkedQueue<>();
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			worker.schedule(() -> {
				started.countDown();
				awaitUninterruptibly(release);
				ran.add(0);
			});
			assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
			offloader.pause();
			for (int i = 1; i <= 5; i++) {
				int n = i;
				worker.schedule(() -> ran.add(n));
			}
			release.countDown();
			await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 6);
			offloader.resume();
			// A new busy period after the pause.
			CountDownLatch after = new CountDownLatch(1);
			await().pollInterval(Duration.ofMillis(1))
				.atMost(Duration.ofSeconds(10))
				.until(() -> offloader.stats().active() == 0);
			offloader.pause();
			worker.schedule(after::countDown);
			assertThat(after.getCount()).isOne();
			assertThat(offloader.resume()).isOne();
			assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5);
		}
		worker.dispose();
	}

	/**
	 * The shutdown cancels a running busy period: the worker's queued tasks must not
	 * start after it.
	 */
	@Test
	void queuedWorkerTasksDoNotStartAfterTheShutdownCancelledTheirBusyPeriod() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		Scheduler.Worker worker = offloader.scheduler().createWorker();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean secondRan = new AtomicBoolean();
		worker.schedule(() -> {
			started.countDown();
			awaitUninterruptibly(release);
		});
		worker.schedule(() -> secondRan.set(true));
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		Thread releaser = new Thread(() -> {
			await().atMost(Duration.ofSeconds(10)).until(() -> offloader.stats().cancelled() == 1);
			release.countDown();
		});
		releaser.start();
		offloader.finishShutdown(Duration.ZERO);
		releaser.join(10_000);
		await().atMost(Duration.ofSeconds(10)).until(() -> offloader.stats().active() == 0);
		assertThat(secondRan).as("a task started after the shutdown cancelled its busy period").isFalse();
	}

	/**
	 * Reactor's workers: disposing a running task interrupts it (and only it); the
	 * Javadoc: disposing a scheduled task cancels it, interrupting it.
	 */
	@Test
	void disposingARunningWorkerTaskInterruptsItAndTheWorkerGoesOn() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		Scheduler.Worker worker = offloader.scheduler().createWorker();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		Disposable task = worker.schedule(() -> {
			started.countDown();
			try {
				new CountDownLatch(1).await(20, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		AtomicBoolean nextInterrupted = new AtomicBoolean(true);
		CountDownLatch next = new CountDownLatch(1);
		worker.schedule(() -> {
			nextInterrupted.set(Thread.currentThread().isInterrupted());
			next.countDown();
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(task.isDisposed()).isFalse();
		task.dispose();
		assertThat(task.isDisposed()).isTrue();
		assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(nextInterrupted).isFalse();
		assertThat(worker.isDisposed()).isFalse();
		worker.dispose();
	}

	/**
	 * A task's interrupt must not reach the next task of the busy period, as it would not
	 * reach the next call.
	 */
	@Test
	void anInterruptLeftByATaskDoesNotReachTheNextTask() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		Scheduler.Worker worker = offloader.scheduler().createWorker();
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean nextInterrupted = new AtomicBoolean(true);
		CountDownLatch next = new CountDownLatch(1);
		worker.schedule(() -> {
			awaitUninterruptibly(release);
			Thread.currentThread().interrupt();
		});
		worker.schedule(() -> {
			nextInterrupted.set(Thread.currentThread().isInterrupted());
			next.countDown();
		});
		release.countDown();
		assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(nextInterrupted).isFalse();
		worker.dispose();
	}

	/**
	 * Reactor's {@code AbstractSchedulerTest.workerScheduleAndDispose}: after the worker
	 * is disposed, every task it was given reports disposed, and it refuses new ones.
	 */
	@Test
	void disposingTheWorkerDisposesItsTasks() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		Scheduler.Worker worker = offloader.scheduler().createWorker();
		CountDownLatch started = new CountDownLatch(1);
		Disposable[] tasks = new Disposable[10];
		tasks[0] = worker.schedule(() -> {
			started.countDown();
			try {
				new CountDownLatch(1).await(20, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				// Disposed.
			}
		});
		for (int i = 1; i < tasks.length; i++) {
			tasks[i] = worker.schedule(() -> {
			});
		}
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		worker.dispose();
		assertThat(worker.isDisposed()).isTrue();
		for (Disposable task : tasks) {
			assertThat(task.isDisposed()).isTrue();
		}
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> worker.schedule(() -> {
		}));
	}

	/**
	 * Reactor's tasks report disposed once they ran, as the scheduler's direct tasks do.
	 */
	@Test
	void aWorkerTaskThatRanIsDisposedLikeADirectOne() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		Scheduler scheduler = offloader.scheduler();
		Scheduler.Worker worker = scheduler.createWorker();
		CountDownLatch ran = new CountDownLatch(2);
		Disposable direct = scheduler.schedule(ran::countDown);
		Disposable onWorker = worker.schedule(ran::countDown);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(direct::isDisposed);
		await().atMost(Duration.ofSeconds(10)).until(onWorker::isDisposed);
		worker.dispose();
	}

	/**
	 * Disposing the worker from inside its own task: the rest is dropped, the call is not
	 * cancelled, the worker refuses new tasks.
	 */
	@Test
	void disposingTheWorkerFromItsOwnTaskDropsTheRestWithoutCancellingTheCall() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		for (int round = 0; round < 100; round++) {
			Scheduler.Worker worker = offloader.scheduler().createWorker();
			CountDownLatch release = new CountDownLatch(1);
			AtomicBoolean interrupted = new AtomicBoolean();
			AtomicBoolean laterRan = new AtomicBoolean();
			worker.schedule(() -> {
				awaitUninterruptibly(release);
				worker.dispose();
				interrupted.set(Thread.currentThread().isInterrupted());
			});
			worker.schedule(() -> laterRan.set(true));
			release.countDown();
			await().pollInterval(Duration.ofMillis(1))
				.atMost(Duration.ofSeconds(10))
				.until(() -> offloader.stats().active() == 0);
			assertThat(interrupted).isFalse();
			assertThat(laterRan).isFalse();
			assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> worker.schedule(() -> {
			}));
		}
		assertThat(offloader.stats().cancelled()).isZero();
	}

	/**
	 * Storms of schedule from many threads on one worker: each thread's tasks run in its
	 * order, never two at once, none lost.
	 */
	@Test
	void aWorkerRunsAStormOfTasksSeriallyInEachThreadsOrder() throws Exception {
		Offloader offloader = offloader(Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(4)));
		int threads = 4;
		int perThread = 2_000;
		for (int round = 0; round < 20; round++) {
			Scheduler.Worker worker = offloader.scheduler().createWorker();
			AtomicInteger running = new AtomicInteger();
			AtomicInteger overlaps = new AtomicInteger();
			int[] last = new int[threads];
			AtomicInteger outOfOrder = new AtomicInteger();
			CountDownLatch done = new CountDownLatch(threads * perThread);
			CyclicBarrier start = new CyclicBarrier(threads);
			List<Thread> schedulers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				Thread scheduling = new Thread(() -> {
					try {
						start.await();
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
					for (int i = 1; i <= perThread; i++) {
						int n = i;
						worker.schedule(() -> {
							if (running.incrementAndGet() != 1) {
								overlaps.incrementAndGet();
							}
							// Plain fields: the worker's serial order makes them safe.
							if (last[thread] != n - 1) {
								outOfOrder.incrementAndGet();
							}
							last[thread] = n;
							running.decrementAndGet();
							done.countDown();
						});
					}
				});
				schedulers.add(scheduling);
				scheduling.start();
			}
			for (Thread scheduling : schedulers) {
				scheduling.join(20_000);
			}
			assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
			assertThat(overlaps).hasValue(0);
			assertThat(outOfOrder).hasValue(0);
			worker.dispose();
		}
	}

	/**
	 * A worker whose busy period the full pool refused: the rejection is the pool's, and
	 * once the pool has room the worker takes tasks again, as Reactor's workers do.
	 */
	@Test
	void aWorkerRefusedByAFullPoolIsUsableOnceThePoolHasRoom() throws Exception {
		Offloader offloader = offloader(
				Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(1).queueCapacity(0)));
		Scheduler.Worker worker = offloader.scheduler().createWorker();
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Boolean> busy = offloader.future(() -> release.await(20, TimeUnit.SECONDS));
		assertThatExceptionOfType(OffloadRejectedException.class).isThrownBy(() -> worker.schedule(() -> {
		}));
		release.countDown();
		assertThat(busy.get(10, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> offloader.stats().active() == 0);
		CountDownLatch ran = new CountDownLatch(1);
		worker.schedule(ran::countDown);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		worker.dispose();
	}

	/**
	 * publishOn over a refusing pool: Reactor's "Scheduler unavailable" caused by the
	 * pool's rejection.
	 */
	@Test
	void publishOnOverAFullPoolFailsWithTheRejectionCausedByThePools() throws Exception {
		Offloader offloader = offloader(
				Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(1).queueCapacity(0)));
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Boolean> busy = offloader.future(() -> release.await(20, TimeUnit.SECONDS));
		try {
			StepVerifier.create(Flux.range(1, 10).hide().publishOn(offloader.scheduler()))
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(RejectedExecutionException.class)
					.hasMessageContaining("Scheduler unavailable")
					.hasCauseInstanceOf(OffloadRejectedException.class))
				.verify(Duration.ofSeconds(10));
		}
		finally {
			release.countDown();
		}
		assertThat(busy.get(10, TimeUnit.SECONDS)).isTrue();
	}

	/**
	 * Not time-capable, as Reactor's contract says: delayed and periodic tasks are
	 * refused.
	 */
	@Test
	void delaysAndPeriodsAreRefused() {
		Offloader offloader = offloader(Offloader.builder());
		Scheduler scheduler = offloader.scheduler();
		Scheduler.Worker worker = scheduler.createWorker();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> scheduler.schedule(() -> {
		}, 10, TimeUnit.MILLISECONDS));
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> worker.schedulePeriodically(() -> {
		}, 10, 10, TimeUnit.MILLISECONDS));
		StepVerifier.create(Flux.interval(Duration.ofMillis(10), scheduler))
			.expectError(RejectedExecutionException.class)
			.verify(Duration.ofSeconds(10));
		worker.dispose();
		// Disposing the scheduler does not stop the pool.
		scheduler.dispose();
		assertThat(offloader.mono(() -> 1).block(Duration.ofSeconds(10))).isOne();
	}

	/**
	 * Reactor's contract for a disposed scheduler: it says it is disposed and refuses
	 * later tasks, its workers' included. This view's pool is the offloader's, so the
	 * pool, and other views of it, go on.
	 */
	@Test
	void aDisposedSchedulerRefusesLaterTasksAndLeavesThePoolToOthers() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		Scheduler scheduler = offloader.scheduler();
		Scheduler.Worker worker = scheduler.createWorker();
		scheduler.dispose();
		assertThat(scheduler.isDisposed()).isTrue();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> scheduler.schedule(() -> {
		})).withMessageContaining("disposed");
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> worker.schedule(() -> {
		}));
		assertThatExceptionOfType(RejectedExecutionException.class)
			.isThrownBy(() -> scheduler.createWorker().schedule(() -> {
			}));
		CountDownLatch ran = new CountDownLatch(1);
		offloader.scheduler().schedule(ran::countDown);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(offloader.mono(() -> 1).block(Duration.ofSeconds(10))).isOne();
	}

	private static void assertAcceptedTaskRunsOrIsRefused(Scheduler.Worker worker) throws InterruptedException {
		CountDownLatch ran = new CountDownLatch(1);
		Throwable refused = catchThrowable(() -> worker.schedule(ran::countDown));
		if (refused != null) {
			assertThat(refused).isInstanceOf(RejectedExecutionException.class);
		}
		else {
			assertThat(ran.await(5, TimeUnit.SECONDS)).as("an accepted task ran").isTrue();
		}
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		boolean interrupted = false;
		while (true) {
			try {
				if (latch.await(20, TimeUnit.SECONDS)) {
					break;
				}
				throw new IllegalStateException("not released");
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
