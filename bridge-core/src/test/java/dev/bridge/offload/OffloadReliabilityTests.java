/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Saturation, cancellation storms and nested calls: every permit comes back and no caller
 * hangs.
 */
@Tag("stress")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OffloadReliabilityTests {

	private Offloader offloader;

	@AfterEach
	void shutDown() {
		if (this.offloader != null) {
			this.offloader.finishShutdown(Duration.ofSeconds(1));
		}
	}

	@Test
	void aMillionSubmissionsAgainstAFullPoolAreRejectedFastWithoutGrowingTheHeap() throws Exception {
		this.offloader = Offloader.builder()
			.pool("small", (pool) -> pool.maxConcurrency(2).queueCapacity(10).threads(ThreadMode.PLATFORM))
			.build();
		Offloader small = this.offloader.pool("small");
		CountDownLatch release = new CountDownLatch(1);
		List<CompletableFuture<Boolean>> admitted = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			admitted.add(small.future(() -> release.await(1, TimeUnit.MINUTES)));
		}
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		long heapBefore = memory.getHeapMemoryUsage().getUsed();
		long rejected = 0;
		long slowest = 0;
		for (int i = 0; i < 1_000_000; i++) {
			long start = System.nanoTime();
			try {
				small.future(() -> true);
			}
			catch (OffloadRejectedException ex) {
				rejected++;
			}
			slowest = Math.max(slowest, System.nanoTime() - start);
		}
		System.gc();
		long heapAfter = memory.getHeapMemoryUsage().getUsed();
		assertThat(rejected).isEqualTo(1_000_000);
		assertThat(small.stats().rejected()).isEqualTo(1_000_000);
		assertThat(small.stats().queued()).isEqualTo(10);
		assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(64L * 1024 * 1024);
		assertThat(Duration.ofNanos(slowest)).as("no caller blocked").isLessThan(Duration.ofSeconds(1));
		release.countDown();
		for (CompletableFuture<Boolean> future : admitted) {
			assertThat(future.get(10, TimeUnit.SECONDS)).isTrue();
		}
		await().until(() -> small.stats().active() == 0);
		assertRecovered(small, 2);
		System.out.printf("saturation: 1,000,000 rejections, slowest %d us, heap growth %d KiB%n", slowest / 1000,
				(heapAfter - heapBefore) / 1024);
	}

	@Test
	void aCancellationStormLeaksNoPermitAndDeliversNoResultAfterCancel() throws Exception {
		this.offloader = Offloader.builder()
			.defaultPool((pool) -> pool.maxConcurrency(8).queueCapacity(200_000).threads(ThreadMode.PLATFORM))
			.build();
		int calls = 100_000;
		AtomicInteger bodiesRun = new AtomicInteger();
		AtomicInteger interrupted = new AtomicInteger();
		AtomicLong resultsAfterCancel = new AtomicLong();
		List<CompletableFuture<Integer>> futures = new ArrayList<>(calls);
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < calls; i++) {
			int work = random.nextInt(3);
			CompletableFuture<Integer> future = this.offloader.future(() -> {
				bodiesRun.incrementAndGet();
				if (work == 0) {
					try {
						TimeUnit.MICROSECONDS.sleep(50);
					}
					catch (InterruptedException ex) {
						interrupted.incrementAndGet();
						throw ex;
					}
				}
				return 1;
			});
			futures.add(future);
			if (random.nextBoolean()) {
				// cancel at a random point: at once (queued), or after the pool had a
				// moment
				if (random.nextBoolean()) {
					Thread.onSpinWait();
				}
				future.cancel(true);
			}
		}
		for (CompletableFuture<Integer> future : futures) {
			future.handle((value, error) -> {
				if (future.isCancelled() && value != null) {
					resultsAfterCancel.incrementAndGet();
				}
				return null;
			}).get(1, TimeUnit.MINUTES);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.offloader.stats().active() == 0);
		OffloadStats stats = this.offloader.stats();
		assertThat(resultsAfterCancel).hasValue(0);
		assertThat(stats.completed() + stats.failed() + stats.cancelled()).isEqualTo(calls);
		assertThat(futures).allMatch(CompletableFuture::isDone);
		assertRecovered(this.offloader, 8);
		System.out.printf("cancellation storm: %d calls, %d cancelled, %d bodies ran, %d interrupted%n", calls,
				stats.cancelled(), bodiesRun.get(), interrupted.get());
	}

	@Test
	void aWorkerWaitingOnItsOwnFullPoolRunsTheNestedCallInsteadOfHanging() throws Exception {
		this.offloader = Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(2).queueCapacity(10)).build();
		Offloader pool = this.offloader;
		List<CompletableFuture<Integer>> outer = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			outer.add(pool.future(() -> pool.future(() -> 1).get(10, TimeUnit.SECONDS)
					+ pool.mono(() -> 1).block(Duration.ofSeconds(10))));
		}
		for (CompletableFuture<Integer> future : outer) {
			assertThat(future.get(30, TimeUnit.SECONDS)).isEqualTo(2);
		}
		assertRecovered(pool, 2);
	}

	@Test
	void aMonoCancelledWhileQueuedNeverRuns() throws Exception {
		this.offloader = Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(1)).build();
		CountDownLatch release = new CountDownLatch(1);
		this.offloader.future(() -> release.await(10, TimeUnit.SECONDS));
		AtomicInteger ran = new AtomicInteger();
		this.offloader.mono(ran::incrementAndGet).subscribe().dispose();
		assertThat(this.offloader.stats().queued()).isZero();
		release.countDown();
		assertRecovered(this.offloader, 1);
		assertThat(ran).hasValue(0);
	}

	/** Every slot is usable again: {@code limit} calls run at the same time. */
	private static void assertRecovered(Offloader offloader, int limit) throws Exception {
		await().until(() -> offloader.stats().active() == 0 && offloader.stats().queued() == 0);
		CountDownLatch allRunning = new CountDownLatch(limit);
		List<Mono<Boolean>> calls = new ArrayList<>();
		for (int i = 0; i < limit; i++) {
			calls.add(offloader.mono(() -> {
				allRunning.countDown();
				return allRunning.await(10, TimeUnit.SECONDS);
			}));
		}
		assertThat(Mono.zip(calls, (results) -> results).block(Duration.ofSeconds(20))).containsOnly(true);
		assertThat(offloader.stats().limit()).isEqualTo(limit);
	}

}
