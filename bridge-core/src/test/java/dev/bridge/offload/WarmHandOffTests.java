/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The short-call fast path: a platform worker that finished a call waits briefly,
 * spinning, for the next one (no thread wake-up, no trip through the executor), and a
 * caller about to wait for a short call spins briefly for its result. Both must keep the
 * pool's guarantees (limit, interrupt on cancel, nothing left on the thread) and cost
 * nothing once the calls stop or when calls are long.
 */
class WarmHandOffTests {

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final AtomicInteger executed = new AtomicInteger();

	private Offloader offloader;

	@AfterEach
	void shutDown() {
		if (this.offloader != null) {
			this.offloader.finishShutdown(Duration.ofSeconds(5));
		}
		this.threads.shutdownNow();
	}

	private Offloader platformPool(int limit, int queue) {
		this.offloader = Offloader.builder()
			.defaultPool((pool) -> pool.threads(ThreadMode.PLATFORM)
				.maxConcurrency(limit)
				.queueCapacity(queue)
				.executor((task) -> {
					this.executed.incrementAndGet();
					this.threads.execute(task);
				}))
			.build();
		return this.offloader;
	}

	@Test
	void sequentialShortCallsReachTheWarmWorkerWithoutTheExecutor() throws Exception {
		Offloader offloader = platformPool(4, 16);
		int calls = 0;
		// Up to 50,000 calls, until 200 went past the executor: how many come while the
		// worker still waits depends on the JIT and on how busy the machine is.
		while (calls < 50_000 && calls - this.executed.get() < 200) {
			int value = calls++;
			assertThat(offloader.future(() -> value + 1).get(5, TimeUnit.SECONDS)).isEqualTo(value + 1);
		}
		// Without the hand-off every call goes through the executor.
		assertThat(calls - this.executed.get()).as("calls handed to a waiting worker").isEqualTo(200);
		assertThat(offloader.stats().completed()).isEqualTo(calls);
		await().atMost(Duration.ofSeconds(5)).until(() -> offloader.stats().active() == 0);
	}

	@Test
	void theLimitHoldsForCallsHandedToTheWarmWorker() throws Exception {
		Offloader offloader = platformPool(1, 1_000);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostAtOnce = new AtomicInteger();
		List<CompletableFuture<Void>> callers = new ArrayList<>();
		for (int caller = 0; caller < 4; caller++) {
			callers.add(CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 500; i++) {
					offloader.future(() -> {
						mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
						Thread.onSpinWait();
						running.decrementAndGet();
						return null;
					}).join();
				}
			}, this.threads));
		}
		CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		assertThat(mostAtOnce.get()).isEqualTo(1);
		assertThat(offloader.stats().completed()).isEqualTo(2_000);
		assertThat(offloader.stats().active()).isZero();
	}

	@Test
	void aCancelledCallOnTheWarmWorkerIsInterruptedAndTheNextCallIsNot() throws Exception {
		Offloader offloader = platformPool(1, 0);
		for (int i = 0; i < 100; i++) {
			offloader.future(() -> 1).get(5, TimeUnit.SECONDS);
		}
		CountDownLatch started = new CountDownLatch(1);
		AtomicReference<Thread> blockedOn = new AtomicReference<>();
		CompletableFuture<Boolean> blocked = offloader.future(() -> {
			blockedOn.set(Thread.currentThread());
			started.countDown();
			try {
				new CountDownLatch(1).await(30, TimeUnit.SECONDS);
				return false;
			}
			catch (InterruptedException ex) {
				return true;
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		blocked.cancel(true);
		await().atMost(Duration.ofSeconds(5)).until(() -> offloader.stats().active() == 0);
		for (int i = 0; i < 100; i++) {
			assertThat(offloader.future(() -> Thread.currentThread().isInterrupted()).get(5, TimeUnit.SECONDS))
				.isFalse();
		}
		assertThat(offloader.stats().cancelled()).isEqualTo(1);
	}

	@Test
	void aSubscriberThatMayBlockGetsAShortCallsResultOnItsOwnThread() {
		Offloader offloader = platformPool(4, 16);
		Thread caller = Thread.currentThread();
		int onCaller = 0;
		// Up to 50,000 calls: until the code is compiled, and on a busy machine, calls
		// are not always short enough.
		for (int i = 0; i < 50_000 && onCaller < 100; i++) {
			Thread deliveredOn = offloader.mono(() -> 1).map((ignored) -> Thread.currentThread()).block();
			if (deliveredOn == caller) {
				onCaller++;
			}
		}
		// Without the caller's brief wait, every result is delivered on a worker.
		assertThat(onCaller).as("results delivered on the caller's thread").isEqualTo(100);
	}

	@Test
	void aCallerDoesNotSpinForAPoolWhoseCallsAreLong() {
		Offloader offloader = platformPool(4, 16);
		Thread caller = Thread.currentThread();
		for (int i = 0; i < 20; i++) {
			Thread deliveredOn = offloader.mono(() -> {
				Thread.sleep(5);
				return 1;
			}).map((ignored) -> Thread.currentThread()).block();
			assertThat(deliveredOn).isNotSameAs(caller);
		}
	}

	@Test
	void theWarmWorkerStopsSpinningOnceTheCallsStop() throws Exception {
		Offloader offloader = platformPool(4, 16);
		AtomicReference<Thread> worker = new AtomicReference<>();
		for (int i = 0; i < 1_000; i++) {
			offloader.future(() -> {
				worker.set(Thread.currentThread());
				return null;
			}).get(5, TimeUnit.SECONDS);
		}
		ThreadMXBean mx = ManagementFactory.getThreadMXBean();
		long id = worker.get().getId();
		// Back in the executor, parked: no CPU over a window of 200 ms.
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			long before = mx.getThreadCpuTime(id);
			new CountDownLatch(1).await(200, TimeUnit.MILLISECONDS);
			return mx.getThreadCpuTime(id) - before < TimeUnit.MILLISECONDS.toNanos(5);
		});
	}

	@Test
	void aSequentialCallerOfAFullPoolIsNeverRefusedForASlotItsLastCallStillHeld() throws Exception {
		for (ThreadMode mode : ThreadMode.virtualThreadsAvailable()
				? new ThreadMode[] { ThreadMode.PLATFORM, ThreadMode.VIRTUAL }
				: new ThreadMode[] { ThreadMode.PLATFORM }) {
			Offloader offloader = Offloader.builder()
				.defaultPool((pool) -> pool.threads(mode).maxConcurrency(1).queueCapacity(0))
				.build();
			try {
				for (int i = 0; i < 5_000; i++) {
					// Rejected when the result arrived before the worker freed its slot.
					offloader.future(() -> 1).get(5, TimeUnit.SECONDS);
				}
				assertThat(offloader.stats().rejected()).as(mode.name()).isZero();
			}
			finally {
				offloader.finishShutdown(Duration.ofSeconds(5));
			}
		}
	}

	@Test
	void threadsThatHandedTheirSlotOnAreNoLongerCountedAsWorkers() throws Exception {
		Offloader offloader = Offloader.builder()
			.defaultPool((pool) -> pool
				.threads(ThreadMode.virtualThreadsAvailable() ? ThreadMode.VIRTUAL : ThreadMode.PLATFORM)
				.maxConcurrency(2)
				.queueCapacity(10_000))
			.build();
		this.offloader = offloader;
		List<CompletableFuture<Integer>> calls = new ArrayList<>();
		for (int i = 0; i < 2_000; i++) {
			calls.add(offloader.future(() -> 1));
		}
		CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		OffloadPool pool = defaultPool(offloader);
		await().atMost(Duration.ofSeconds(5)).until(() -> offloader.stats().active() == 0);
		assertThat(pool).extracting("workers")
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.COLLECTION)
			.isEmpty();
	}

	private static OffloadPool defaultPool(Offloader offloader) throws ReflectiveOperationException {
		java.lang.reflect.Field field = DefaultOffloader.class.getDeclaredField("pool");
		field.setAccessible(true);
		return (OffloadPool) field.get(offloader);
	}

}
