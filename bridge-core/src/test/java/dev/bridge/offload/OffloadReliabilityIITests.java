/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.bridge.lifecycle.GracefulShutdown;
import dev.bridge.loop.LoopRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Regression tests for the offload defects of issue 11 (Reliability II): each failed
 * before its fix.
 */
@Timeout(60)
class OffloadReliabilityIITests {

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	private Offloader offloader(Offloader.Builder builder) {
		Offloader offloader = builder.build();
		this.closeables.add(() -> ((GracefulShutdown) offloader).finishShutdown(Duration.ofSeconds(1)));
		return offloader;
	}

	private LoopRunner loop() {
		LoopRunner loop = LoopRunner.builder().callTimeout(Duration.ofSeconds(5)).build();
		this.closeables.add(loop);
		return loop;
	}

	// Item 1: a worker holding the last slot waits, through the loop, for work on its own
	// pool. Before the fix both waits ran out their 5 s call timeout.
	@Test
	void aCallAwaitedThroughTheLoopByAWorkerOfItsOwnFullPoolCompletes() {
		LoopRunner loop = loop();
		Offloader off = offloader(Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(1)));
		long start = System.nanoTime();
		Integer value = loop.run(off.mono(() -> loop.run(off.mono(() -> 42))));
		assertThat(value).isEqualTo(42);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no call timeout was waited out")
			.isLessThan(Duration.ofSeconds(4));
		assertThat(off.stats().active()).isZero();
	}

	// Item 2: an executor failing with anything but RejectedExecutionException leaked the
	// slot for good; the next call on a one-slot pool then waited forever.
	@Test
	void anExecutorFailureGivesTheSlotBackAndTellsTheCaller() throws Exception {
		ExecutorService real = Executors.newCachedThreadPool();
		this.closeables.add(real::shutdownNow);
		AtomicBoolean broken = new AtomicBoolean(true);
		Executor flaky = (command) -> {
			if (broken.get()) {
				throw new OutOfMemoryError("unable to create native thread: possibly out of memory") {
					// An anonymous subclass: surefire ends its fork on a plain
					// OutOfMemoryError.
				};
			}
			real.execute(command);
		};
		Offloader off = offloader(
				Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(1).queueCapacity(4).executor(flaky)));
		CompletableFuture<Integer> first = off.future(() -> 1);
		assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOf(OffloadRejectedException.class)
			.hasMessageContaining("offload pool 'default'")
			.hasMessageContaining("unable to create native thread")
			.hasRootCauseInstanceOf(OutOfMemoryError.class);
		assertThat(off.stats().active()).isZero();
		broken.set(false);
		assertThat(off.future(() -> 2).get(5, TimeUnit.SECONDS)).isEqualTo(2);
		assertThat(off.stats().active()).isZero();
	}

	// Item 2: a task already polled from the queue when the executor fails is not lost.
	@Test
	void aQueuedCallWhoseDispatchFailsGetsAnOutcome() throws Exception {
		ExecutorService real = Executors.newCachedThreadPool();
		this.closeables.add(real::shutdownNow);
		AtomicBoolean broken = new AtomicBoolean(false);
		Executor flaky = (command) -> {
			if (broken.get()) {
				throw new IllegalStateException("executor closed");
			}
			real.execute(command);
		};
		Offloader off = offloader(
				Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(1).queueCapacity(4).executor(flaky)));
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch running = new CountDownLatch(1);
		CompletableFuture<Boolean> blocker = off.future(() -> {
			running.countDown();
			return release.await(10, TimeUnit.SECONDS);
		});
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Integer> queued = off.future(() -> 2);
		broken.set(true);
		release.countDown();
		assertThat(blocker.get(5, TimeUnit.SECONDS)).isTrue();
		// The worker takes the queued call on its own thread: no dispatch needed.
		assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo(2);
		CompletableFuture<Integer> refused = off.future(() -> 3);
		assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOf(OffloadRejectedException.class)
			.hasMessageContaining("executor closed");
		assertThat(off.stats().active()).isZero();
		assertThat(off.stats().queued()).isZero();
	}

	// Item 3: a nested call run inline on its own full pool ignored its timeout.
	@Test
	void aNestedCallRunInlineOnItsOwnFullPoolKeepsItsTimeout() throws Exception {
		Offloader off = offloader(
				Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(1).timeout(Duration.ofMillis(200))));
		Offloader outer = off.timeout(Duration.ofSeconds(20));
		CompletableFuture<Throwable> nested = outer.future(() -> {
			long start = System.nanoTime();
			try {
				off.future(() -> {
					Thread.sleep(10_000);
					return 1;
				}).get();
				return null;
			}
			catch (ExecutionException ex) {
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
				assertThat(Thread.currentThread().isInterrupted()).as("outer call not left interrupted").isFalse();
				return ex.getCause();
			}
		});
		assertThat(nested.get(15, TimeUnit.SECONDS)).isInstanceOf(OffloadTimeoutException.class);
	}

}
