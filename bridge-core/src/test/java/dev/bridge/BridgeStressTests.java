/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.OffloadRejectedException;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many threads, many mixed operations, random cancellations: nothing lost, leaked or
 * hung.
 */
@Tag("stress")
class BridgeStressTests {

	private static final int THREADS = 8;

	private static final int OPERATIONS = 20_000;

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void mixedOperationsWithRandomCancellationsEndWithEveryOutcomeDeliveredOnce() throws Exception {
		LoopRunner loop = LoopRunner.builder().callTimeout(Duration.ofSeconds(60)).build();
		Offloader offloader = Offloader.builder()
			.defaultPool((pool) -> pool.maxConcurrency(16).queueCapacity(100_000))
			.build();
		ConcurrentLinkedQueue<Tracked> tracked = new ConcurrentLinkedQueue<>();
		AtomicLong syncResults = new AtomicLong();
		AtomicInteger rejected = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(THREADS);
		List<Throwable> unexpected = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			Thread caller = new Thread(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				try {
					for (int i = 0; i < OPERATIONS; i++) {
						int value = random.nextInt(1000);
						switch (random.nextInt(5)) {
							case 0 -> {
								if (loop.call(() -> value) == value) {
									syncResults.incrementAndGet();
								}
							}
							case 1 -> {
								if (loop.run(Mono.just(value)) == value) {
									syncResults.incrementAndGet();
								}
							}
							case 2 -> track(tracked, loop.submit(Mono.fromCallable(() -> value)), value, random);
							case 3 -> {
								try {
									track(tracked, offloader.future(() -> value), value, random);
								}
								catch (OffloadRejectedException ex) {
									rejected.incrementAndGet();
								}
							}
							default -> {
								Tracked mono = new Tracked(value);
								tracked.add(mono);
								Disposable subscription = offloader.mono(() -> value)
									.subscribe(mono::value, mono::error, mono::complete);
								if (random.nextInt(4) == 0) {
									subscription.dispose();
									mono.cancelled();
								}
							}
						}
					}
				}
				catch (Throwable ex) {
					synchronized (unexpected) {
						unexpected.add(ex);
					}
				}
				finally {
					done.countDown();
				}
			});
			caller.start();
		}
		assertThat(done.await(4, TimeUnit.MINUTES)).isTrue();
		assertThat(unexpected).isEmpty();
		await().atMost(Duration.ofSeconds(30)).until(() -> tracked.stream().allMatch(Tracked::settled));
		assertThat(tracked).allSatisfy(Tracked::assertConsistent);
		await().until(() -> loop.stats().inFlight() == 0 && offloader.stats().active() == 0);
		assertThat(offloader.stats().queued()).isZero();
		assertThat(offloader.stats().limit()).isEqualTo(16);
		assertThat(rejected).hasValue(0);
		assertThat(syncResults.get() + tracked.size()).isEqualTo((long) THREADS * OPERATIONS);
		loop.close();
		offloader.finishShutdown(Duration.ofSeconds(5));
	}

	private static void track(ConcurrentLinkedQueue<Tracked> tracked, CompletableFuture<Integer> future, int value,
			ThreadLocalRandom random) {
		Tracked entry = new Tracked(value);
		tracked.add(entry);
		future.whenComplete((result, error) -> {
			if (error != null) {
				entry.error(error);
			}
			else {
				entry.value(result);
				entry.complete();
			}
		});
		if (random.nextInt(4) == 0) {
			if (future.cancel(true)) {
				entry.cancelled();
			}
		}
	}

	/** One asynchronous operation and every signal it received. */
	private static final class Tracked {

		private final int expected;

		private final AtomicInteger values = new AtomicInteger();

		private final AtomicInteger terminals = new AtomicInteger();

		private volatile boolean cancelled;

		private volatile boolean wrongValue;

		private volatile Throwable error;

		Tracked(int expected) {
			this.expected = expected;
		}

		void value(Integer value) {
			this.values.incrementAndGet();
			if (value != this.expected) {
				this.wrongValue = true;
			}
		}

		void error(Throwable error) {
			this.error = error;
			this.terminals.incrementAndGet();
		}

		void complete() {
			this.terminals.incrementAndGet();
		}

		void cancelled() {
			this.cancelled = true;
		}

		boolean settled() {
			return this.terminals.get() > 0 || this.cancelled;
		}

		void assertConsistent() {
			assertThat(this.wrongValue).isFalse();
			assertThat(this.terminals.get()).isLessThanOrEqualTo(1);
			assertThat(this.values.get()).isLessThanOrEqualTo(1);
			if (this.error != null) {
				assertThat(this.error).isInstanceOf(CancellationException.class);
				assertThat(this.values.get()).isZero();
			}
			if (!this.cancelled) {
				assertThat(this.terminals.get()).isEqualTo(1);
				assertThat(this.error).isNull();
				assertThat(this.values.get()).isEqualTo(1);
			}
		}

	}

}
