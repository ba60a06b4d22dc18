/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.bridge.lifecycle.CancelledByShutdownException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Adversarial tests of {@link LoopRunner#stream}: blocking iteration of a publisher on
 * the loop, its prefetch bound, early close, errors, timeouts, the deadlock guard and
 * shutdown.
 */
@Timeout(120)
class LoopStreamAdversaryTests {

	/**
	 * Iterating, on the loop thread, a stream made elsewhere waits for the loop itself:
	 * the deadlock guard must fail it at once rather than block the loop until the call
	 * timeout.
	 */
	@Test
	void iteratingOnTheLoopThreadFailsFastInsteadOfBlockingTheLoop() throws Exception {
		LoopRunner runner = LoopRunner.builder().callTimeout(Duration.ofSeconds(20)).build();
		try (Stream<Object> stream = runner.stream(Flux.never())) {
			Iterator<Object> items = stream.iterator();
			CompletableFuture<Boolean> onLoop = runner.submit(Mono.fromCallable(items::hasNext));
			assertThatThrownBy(() -> onLoop.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.cause()
				.isInstanceOf(LoopDeadlockException.class)
				.hasMessageContaining("hasNext()")
				.hasMessageContaining("loop thread");
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	/**
	 * The same on another non-blocking thread (a Reactor parallel worker).
	 */
	@Test
	void iteratingOnANonBlockingThreadFailsFast() throws Exception {
		LoopRunner runner = LoopRunner.builder().callTimeout(Duration.ofSeconds(20)).build();
		try (Stream<Object> stream = runner.stream(Flux.never())) {
			Iterator<Object> items = stream.iterator();
			CompletableFuture<Boolean> onParallel = Mono.fromCallable(items::hasNext)
				.subscribeOn(Schedulers.parallel())
				.toFuture();
			assertThatThrownBy(() -> onParallel.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(LoopDeadlockException.class);
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	@Test
	void callingStreamOnTheLoopThreadFailsFast() {
		LoopRunner runner = LoopRunner.builder().callTimeout(Duration.ofSeconds(20)).build();
		try {
			CompletableFuture<Object> onLoop = runner
				.submit(Mono.fromCallable(() -> runner.stream(Flux.just(1)).findFirst().orElse(null)));
			assertThatThrownBy(() -> onLoop.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(LoopDeadlockException.class);
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	@Test
	void closingEarlyCancelsUpstreamExactlyOnceAndReleasesTheWork() {
		LoopRunner runner = LoopRunner.create();
		try {
			for (int round = 0; round < 100; round++) {
				AtomicInteger subscribes = new AtomicInteger();
				AtomicInteger cancels = new AtomicInteger();
				Stream<Integer> stream = runner.stream(Flux.range(0, 1_000_000)
					.doOnSubscribe((s) -> subscribes.incrementAndGet())
					.doOnCancel(cancels::incrementAndGet));
				Iterator<Integer> items = stream.iterator();
				for (int i = 0; i < (round % 7); i++) {
					assertThat(items.next()).isEqualTo(i);
				}
				stream.close();
				stream.close();
				// Closed before the loop subscribed, the source is never subscribed at
				// all.
				await().pollInterval(Duration.ofMillis(1))
					.until(() -> runner.stats().inFlight() == 0 && cancels.get() == subscribes.get());
				assertThat(cancels.get()).isLessThanOrEqualTo(1);
				if (round % 7 != 0) {
					assertThat(cancels.get()).isEqualTo(1);
				}
				assertThat(items.hasNext()).as("items after close").isFalse();
			}
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	@Test
	void upstreamNeverHasMoreThanThePrefetchOutstandingBeyondWhatWasConsumed() {
		LoopRunner runner = LoopRunner.builder().prefetch(8).build();
		AtomicLong requested = new AtomicLong();
		AtomicInteger consumed = new AtomicInteger();
		AtomicLong worstExcess = new AtomicLong(Long.MIN_VALUE);
		try (Stream<Integer> stream = runner.stream(Flux.range(0, 2_000).doOnRequest((n) -> {
			long total = requested.addAndGet(n);
			// one item may sit polled by hasNext() but not yet returned by next()
			worstExcess.accumulateAndGet(total - consumed.get() - 1 - 8, Math::max);
		}))) {
			stream.forEach((item) -> {
				assertThat(item).isEqualTo(consumed.get());
				consumed.incrementAndGet();
			});
		}
		assertThat(consumed.get()).isEqualTo(2_000);
		assertThat(worstExcess.get()).isLessThanOrEqualTo(0);
	}

	/**
	 * A source that ignores backpressure overflows the prefetch buffer: the stream ends
	 * with an error, and (ended by an error, it releases everything by itself) the source
	 * is cancelled rather than left emitting into a dead stream.
	 */
	@Test
	void aSourceOverflowingThePrefetchFailsTheStreamAndIsCancelled() {
		LoopRunner runner = LoopRunner.builder().prefetch(4).build();
		CountDownLatch cancelled = new CountDownLatch(1);
		AtomicInteger emitted = new AtomicInteger();
		Flux<Integer> ignoresBackpressure = Flux.create((sink) -> {
			reactor.core.Disposable ticks = Schedulers.single()
				.schedulePeriodically(() -> sink.next(emitted.getAndIncrement()), 0, 1, TimeUnit.MILLISECONDS);
			sink.onDispose(ticks);
			sink.onCancel(cancelled::countDown);
		}, reactor.core.publisher.FluxSink.OverflowStrategy.IGNORE);
		try (Stream<Integer> stream = runner.stream(ignoresBackpressure)) {
			Iterator<Integer> items = stream.iterator();
			await().until(() -> emitted.get() >= 6);
			assertThatThrownBy(() -> {
				while (items.hasNext()) {
					items.next();
				}
			}).isInstanceOf(IllegalStateException.class).hasMessageContaining("prefetch");
			await().atMost(Duration.ofSeconds(5)).until(() -> cancelled.getCount() == 0);
			await().until(() -> runner.stats().inFlight() == 0);
			int stopped = emitted.get();
			await().during(Duration.ofMillis(100)).until(() -> emitted.get() == stopped);
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	@Test
	void prefetchOfOneStillDeliversEveryItemInOrder() {
		LoopRunner runner = LoopRunner.builder().prefetch(1).build();
		try (Stream<Integer> stream = runner.stream(Flux.range(0, 500))) {
			assertThat(stream.reduce(0, (a, b) -> {
				assertThat(b).isEqualTo(a);
				return a + 1;
			})).isEqualTo(500);
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	@Test
	void upstreamErrorSurfacesAsIsAfterTheItemsBeforeIt() {
		LoopRunner runner = LoopRunner.create();
		IllegalArgumentException failure = new IllegalArgumentException("boom");
		try (Stream<Integer> stream = runner.stream(Flux.range(0, 3).concatWith(Flux.error(failure)))) {
			Iterator<Integer> items = stream.iterator();
			assertThat(items.next()).isZero();
			assertThat(items.next()).isEqualTo(1);
			assertThat(items.next()).isEqualTo(2);
			assertThatThrownBy(items::hasNext).isSameAs(failure);
		}
		IOException checked = new IOException("io");
		try (Stream<Integer> stream = runner.stream(Flux.error(checked))) {
			assertThatThrownBy(() -> stream.findFirst()).isInstanceOf(CompletionException.class).hasCause(checked);
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	@Test
	void aWaitPastTheCallTimeoutFailsAndCancelsUpstream() {
		LoopRunner runner = LoopRunner.builder().callTimeout(Duration.ofMillis(300)).build();
		CountDownLatch cancelled = new CountDownLatch(1);
		try (Stream<Object> stream = runner.stream(Flux.never().doOnCancel(cancelled::countDown))) {
			long start = System.nanoTime();
			assertThatThrownBy(() -> stream.findFirst()).isInstanceOf(LoopTimeoutException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			await().until(() -> cancelled.getCount() == 0);
			await().until(() -> runner.stats().inFlight() == 0);
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	/**
	 * Shutdown while a consumer waits in {@code next()}: the consumer gets the shutdown's
	 * cancellation as soon as the drain budget is spent, and the source is cancelled.
	 */
	@Test
	void shutdownWhileAConsumerWaitsEndsTheWaitWithCancelledByShutdown() throws Exception {
		for (Duration budget : new Duration[] { Duration.ZERO, Duration.ofMillis(200) }) {
			LoopRunner runner = LoopRunner.builder()
				.callTimeout(Duration.ofSeconds(60))
				.shutdownTimeout(budget)
				.build();
			CountDownLatch cancelled = new CountDownLatch(1);
			Sinks.Many<Integer> source = Sinks.many().unicast().onBackpressureBuffer();
			Stream<Integer> stream = runner.stream(source.asFlux().doOnCancel(cancelled::countDown));
			Iterator<Integer> items = stream.iterator();
			source.tryEmitNext(1);
			assertThat(items.next()).isEqualTo(1);
			AtomicReference<Throwable> seen = new AtomicReference<>();
			CountDownLatch ended = new CountDownLatch(1);
			Thread consumer = new Thread(() -> {
				try {
					items.next();
				}
				catch (Throwable ex) {
					seen.set(ex);
				}
				finally {
					ended.countDown();
				}
			});
			consumer.start();
			await().until(() -> consumer.getState() == Thread.State.TIMED_WAITING
					|| consumer.getState() == Thread.State.WAITING);
			runner.close();
			assertThat(ended.await(5, TimeUnit.SECONDS)).as("consumer ended").isTrue();
			assertThat(seen.get()).isInstanceOf(CancelledByShutdownException.class);
			assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
			stream.close();
		}
	}

	@Test
	void closingFromAnotherThreadEndsAWaitingConsumerWithoutAnError() throws Exception {
		LoopRunner runner = LoopRunner.builder().callTimeout(Duration.ofSeconds(60)).build();
		CountDownLatch cancelled = new CountDownLatch(1);
		try {
			Stream<Object> stream = runner.stream(Flux.never().doOnCancel(cancelled::countDown));
			Iterator<Object> items = stream.iterator();
			CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(items::hasNext);
			await().until(() -> runner.stats().inFlight() == 1);
			stream.close();
			assertThat(waiting.get(5, TimeUnit.SECONDS)).isFalse();
			assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	@Test
	void anInterruptedConsumerCancelsUpstreamAndKeepsItsInterrupt() throws Exception {
		LoopRunner runner = LoopRunner.builder().callTimeout(Duration.ofSeconds(60)).build();
		CountDownLatch cancelled = new CountDownLatch(1);
		try (Stream<Object> stream = runner.stream(Flux.never().doOnCancel(cancelled::countDown))) {
			AtomicReference<Throwable> seen = new AtomicReference<>();
			AtomicReference<Boolean> flag = new AtomicReference<>();
			Thread consumer = new Thread(() -> {
				try {
					stream.iterator().hasNext();
				}
				catch (Throwable ex) {
					seen.set(ex);
				}
				flag.set(Thread.currentThread().isInterrupted());
			});
			consumer.start();
			await().until(() -> consumer.getState() == Thread.State.TIMED_WAITING);
			consumer.interrupt();
			consumer.join(5_000);
			assertThat(seen.get()).isInstanceOf(CancellationException.class);
			assertThat(flag.get()).isTrue();
			assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	/**
	 * {@code stream(..)} racing the shutdown: the caller is refused, or its stream ends
	 * with the shutdown's cancellation; it never hangs and never sees a raw rejection.
	 */
	@Test
	void streamRacingTheShutdownIsRefusedOrCancelledNeverStuck() throws Exception {
		for (int round = 0; round < 100; round++) {
			LoopRunner runner = LoopRunner.builder().callTimeout(Duration.ofSeconds(30)).build();
			CountDownLatch go = new CountDownLatch(1);
			AtomicReference<Throwable> seen = new AtomicReference<>();
			CountDownLatch ended = new CountDownLatch(1);
			Thread consumer = new Thread(() -> {
				try {
					go.await();
					try (Stream<Object> stream = runner.stream(Flux.never())) {
						stream.findFirst();
					}
				}
				catch (Throwable ex) {
					seen.set(ex);
				}
				finally {
					ended.countDown();
				}
			});
			consumer.start();
			go.countDown();
			if ((round & 1) == 0) {
				Thread.yield();
			}
			runner.finishShutdown(Duration.ZERO);
			assertThat(ended.await(5, TimeUnit.SECONDS)).as("consumer ended in round " + round).isTrue();
			assertThat(seen.get()).isInstanceOfAny(dev.bridge.lifecycle.ShuttingDownException.class,
					CancelledByShutdownException.class);
		}
	}

	@Test
	void aStreamHeldWhilePausedIsCancelledByTheShutdownAndItsWaiterFreed() throws Exception {
		LoopRunner runner = LoopRunner.builder().callTimeout(Duration.ofSeconds(30)).build();
		AtomicInteger subscribed = new AtomicInteger();
		runner.pause();
		Stream<Integer> stream = runner.stream(Flux.just(1).doOnSubscribe((s) -> subscribed.incrementAndGet()));
		CompletableFuture<Throwable> waiter = new CompletableFuture<>();
		Thread consumer = new Thread(() -> {
			try {
				stream.findFirst();
				waiter.complete(null);
			}
			catch (Throwable ex) {
				waiter.complete(ex);
			}
		});
		consumer.start();
		await().until(
				() -> consumer.getState() == Thread.State.TIMED_WAITING || consumer.getState() == Thread.State.WAITING);
		runner.finishShutdown(Duration.ofSeconds(10));
		assertThat(waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(CancelledByShutdownException.class);
		assertThat(subscribed.get()).isZero();
		stream.close();
	}

	/**
	 * A stream dropped part way without close is released once unreachable.
	 */
	@Test
	void anAbandonedStreamIsCancelledOnceUnreachable() {
		LoopRunner runner = LoopRunner.create();
		CountDownLatch cancelled = new CountDownLatch(1);
		try {
			abandon(runner, cancelled);
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				System.gc();
				return cancelled.getCount() == 0;
			});
			await().until(() -> runner.stats().inFlight() == 0);
		}
		finally {
			runner.finishShutdown(Duration.ZERO);
		}
	}

	private static void abandon(LoopRunner runner, CountDownLatch cancelled) {
		Stream<Integer> stream = runner.stream(Flux.range(0, 10_000).doOnCancel(cancelled::countDown));
		assertThat(stream.findFirst()).contains(0);
	}

}
