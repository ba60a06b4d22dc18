/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import dev.bridge.context.ContextCapture;
import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscription;
import org.slf4j.MDC;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Adversarial tests of {@link Offloader#flux}: the blocking stream is opened once per
 * subscription, read only on demand, closed exactly once however the flux ends, and its
 * pool slot is given back.
 */
@Timeout(120)
class OffloadFluxAdversaryTests {

	@RegisterExtension
	final Offloaders offloaders = new Offloaders();

	private Offloader offloader(int limit, int queue) {
		return this.offloaders.build(Offloader.builder()
			.defaultPool((pool) -> pool.threads(ThreadMode.PLATFORM).maxConcurrency(limit).queueCapacity(queue)));
	}

	/**
	 * A timeout ends the flux with an error while the subscriber still has demand: the
	 * pool thread must stop reading, close the stream and give its slot back, even when
	 * the stream's iterator never looks at the interrupt.
	 */
	@Test
	void timeoutWithDemandOutstandingStopsReadingClosesTheStreamAndFreesTheSlot() {
		Offloader offloader = offloader(1, 0).timeout(Duration.ofMillis(200));
		Source source = new Source(-1);
		try {
			AtomicReference<Throwable> failure = new AtomicReference<>();
			offloader.flux(source::open).subscribe((item) -> {
			}, failure::set);
			await().atMost(Duration.ofSeconds(10)).until(() -> failure.get() != null);
			assertThat(failure.get()).isInstanceOf(OffloadTimeoutException.class);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(source.closes.get()).as("stream closes").isEqualTo(1);
				assertThat(offloader.stats().active()).as("active calls").isZero();
			});
			int reads = source.reads.get();
			await().during(Duration.ofMillis(200)).until(() -> source.reads.get() == reads);
		}
		finally {
			source.stop.set(true);
			offloader.finishShutdown(Duration.ZERO);
		}
	}

	/**
	 * Shutdown cancels a flux that still has demand: same as a timeout.
	 */
	@Test
	void shutdownWithDemandOutstandingStopsReadingAndClosesTheStream() {
		Offloader offloader = offloader(1, 0);
		Source source = new Source(-1);
		try {
			AtomicReference<Throwable> failure = new AtomicReference<>();
			offloader.flux(source::open).subscribe((item) -> {
			}, failure::set);
			await().until(() -> source.reads.get() > 1_000);
			offloader.finishShutdown(Duration.ZERO);
			await().atMost(Duration.ofSeconds(10)).until(() -> failure.get() != null);
			assertThat(failure.get()).isInstanceOf(CancelledByShutdownException.class);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(source.closes.get()).as("stream closes").isEqualTo(1);
				assertThat(offloader.stats().active()).as("active calls").isZero();
			});
		}
		finally {
			source.stop.set(true);
			offloader.finishShutdown(Duration.ZERO);
		}
	}

	/**
	 * Subscribed on a loop thread, the items come back on the loop; the pool thread must
	 * still read only what the subscriber asked for, not a hand-off buffer's worth.
	 */
	@Test
	void subscribedOnALoopThePoolThreadStillReadsOnlyWhatWasRequested() {
		Offloader offloader = offloader(4, 10);
		Source source = new Source(10_000);
		List<Integer> received = new CopyOnWriteArrayList<>();
		AtomicReference<String> deliveredOn = new AtomicReference<>();
		try (LoopRunner loop = LoopRunner.create()) {
			OneAtATime subscriber = new OneAtATime(received, deliveredOn);
			loop.call(() -> {
				offloader.flux(source::open).subscribe(subscriber);
				return null;
			});
			await().until(() -> received.size() == 1);
			awaitParkedForDemand(source);
			assertThat(source.reads.get()).as("items read for a demand of 1").isLessThanOrEqualTo(2);
			assertThat(deliveredOn.get()).isEqualTo(loop.stats().name());
			subscriber.more(2);
			await().until(() -> received.size() == 3);
			awaitParkedForDemand(source);
			assertThat(source.reads.get()).as("items read for a demand of 3").isLessThanOrEqualTo(4);
			assertThat(received).containsExactly(0, 1, 2);
			subscriber.dispose();
			await().untilAsserted(() -> assertThat(source.closes.get()).isEqualTo(1));
			await().until(() -> offloader.stats().active() == 0);
		}
		finally {
			offloader.finishShutdown(Duration.ZERO);
		}
	}

	/**
	 * Off the loop, the pool thread reads at most one item past the demand (its
	 * {@code hasNext()}, to find the end of the stream).
	 */
	@Test
	void offTheLoopThePoolThreadReadsAtMostOneItemPastTheDemand() {
		Offloader offloader = offloader(4, 10);
		Source source = new Source(10_000);
		List<Integer> received = new CopyOnWriteArrayList<>();
		OneAtATime subscriber = new OneAtATime(received, new AtomicReference<>());
		offloader.flux(source::open).subscribe(subscriber);
		for (int demand = 1; demand <= 5; demand++) {
			int expected = demand;
			await().until(() -> received.size() == expected);
			awaitParkedForDemand(source);
			assertThat(source.reads.get()).isLessThanOrEqualTo(demand + 1);
			subscriber.more(1);
		}
		subscriber.dispose();
		await().untilAsserted(() -> assertThat(source.closes.get()).isEqualTo(1));
		await().until(() -> offloader.stats().active() == 0);
	}

	@Test
	void streamIsClosedExactlyOnceOnCompletion() {
		Offloader offloader = offloader(1, 10);
		Source source = new Source(100);
		StepVerifier.create(offloader.flux(source::open)).expectNextCount(100).verifyComplete();
		assertThat(source.closes.get()).isEqualTo(1);
		assertThat(source.opens.get()).isEqualTo(1);
		await().until(() -> offloader.stats().active() == 0);
	}

	@Test
	void streamIsClosedExactlyOnceBeforeTheErrorOfItsIteratorArrives() {
		Offloader offloader = offloader(1, 10);
		IllegalStateException failure = new IllegalStateException("cursor broke");
		Source source = new Source(100);
		source.failAt = 5;
		source.failure = failure;
		AtomicInteger closesSeenAtError = new AtomicInteger(-1);
		StepVerifier.create(offloader.flux(source::open).doOnError((ex) -> closesSeenAtError.set(source.closes.get())))
			.expectNext(0, 1, 2, 3, 4)
			.expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(failure))
			.verify(Duration.ofSeconds(10));
		assertThat(closesSeenAtError.get()).isEqualTo(1);
		assertThat(source.closes.get()).isEqualTo(1);
		await().until(() -> offloader.stats().active() == 0);
	}

	@Test
	void takeClosesTheStreamOnceAndFreesTheSlotWithoutDroppedErrors() {
		Offloader offloader = offloader(1, 10);
		List<Throwable> dropped = new CopyOnWriteArrayList<>();
		Hooks.onErrorDropped(dropped::add);
		try {
			for (int i = 0; i < 50; i++) {
				Source source = new Source(-1);
				StepVerifier.create(offloader.flux(source::open).take(3)).expectNext(0, 1, 2).verifyComplete();
				await().pollInterval(Duration.ofMillis(1))
					.untilAsserted(() -> assertThat(source.closes.get()).isEqualTo(1));
				await().pollInterval(Duration.ofMillis(1)).until(() -> offloader.stats().active() == 0);
				source.stop.set(true);
			}
			assertThat(dropped).as("errors dropped after the subscriber cancelled").isEmpty();
		}
		finally {
			Hooks.resetOnErrorDropped();
			offloader.finishShutdown(Duration.ZERO);
		}
	}

	/**
	 * The pool thread blocked inside {@code hasNext()} when the subscriber cancels: the
	 * interrupt gets it out, the stream is closed once and the slot freed.
	 */
	@Test
	void cancelWhileBlockedInsideHasNextClosesTheStreamAndFreesTheSlot() {
		Offloader offloader = offloader(1, 10);
		Source source = new Source(-1);
		source.blockAt = 3;
		try {
			Disposable subscription = offloader.flux(source::open).subscribe();
			await().until(() -> source.blocked.getCount() == 0);
			subscription.dispose();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(source.closes.get()).isEqualTo(1);
				assertThat(offloader.stats().active()).isZero();
			});
			assertThat(source.interrupted.get()).isTrue();
		}
		finally {
			source.stop.set(true);
			offloader.finishShutdown(Duration.ZERO);
		}
	}

	/**
	 * Without interrupt-on-cancel, a cancel with unbounded demand outstanding must still
	 * stop the drain at the next item.
	 */
	@Test
	void cancelWithUnboundedDemandStopsTheDrainWithoutAnInterrupt() {
		Offloader offloader = this.offloaders.build(Offloader.builder()
			.interruptOnCancel(false)
			.defaultPool((pool) -> pool.threads(ThreadMode.PLATFORM).maxConcurrency(1)));
		Source source = new Source(-1);
		try {
			Disposable subscription = offloader.flux(source::open).subscribe();
			await().until(() -> source.reads.get() > 1_000);
			subscription.dispose();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(source.closes.get()).isEqualTo(1);
				assertThat(offloader.stats().active()).isZero();
			});
		}
		finally {
			source.stop.set(true);
			offloader.finishShutdown(Duration.ZERO);
		}
	}

	@Test
	void aNullItemFailsTheFluxAndClosesTheStream() {
		Offloader offloader = offloader(1, 10);
		AtomicInteger closes = new AtomicInteger();
		StepVerifier.create(offloader.flux(() -> Stream.of("a", null, "c").onClose(closes::incrementAndGet)))
			.expectNext("a")
			.expectError(NullPointerException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(closes.get()).isEqualTo(1);
		await().until(() -> offloader.stats().active() == 0);
	}

	@Test
	void aStreamWhoseCloseThrowsFailsTheFluxOnceAndFreesTheSlot() {
		Offloader offloader = offloader(1, 10);
		IllegalStateException closeFailure = new IllegalStateException("close failed");
		AtomicInteger closes = new AtomicInteger();
		StepVerifier.create(offloader.flux(() -> Stream.of(1, 2).onClose(() -> {
			closes.incrementAndGet();
			throw closeFailure;
		}))).expectNext(1, 2).expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(closeFailure)).verify();
		assertThat(closes.get()).isEqualTo(1);
		await().until(() -> offloader.stats().active() == 0);
	}

	/**
	 * Many fluxes on a pool of one: at most one stream is open at a time, each is opened
	 * and closed once, a queued flux cancelled before it starts never opens its stream.
	 */
	@Test
	void concurrentSubscriptionsRespectTheBulkheadAndACancelledQueuedFluxNeverOpens() throws Exception {
		Offloader offloader = offloader(1, 100);
		AtomicInteger open = new AtomicInteger();
		AtomicInteger maxOpen = new AtomicInteger();
		AtomicInteger opens = new AtomicInteger();
		AtomicInteger closes = new AtomicInteger();
		CountDownLatch releaseFirst = new CountDownLatch(1);
		try {
			Flux<Integer> first = offloader.flux(() -> {
				opens.incrementAndGet();
				maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
				releaseFirst.await();
				return Stream.of(1).onClose(() -> {
					open.decrementAndGet();
					closes.incrementAndGet();
				});
			});
			Mono<List<Integer>> firstDone = first.collectList().cache();
			firstDone.subscribe();
			await().until(() -> opens.get() == 1);
			AtomicInteger cancelledOpens = new AtomicInteger();
			Disposable cancelled = offloader.flux(() -> {
				cancelledOpens.incrementAndGet();
				return Stream.of(1);
			}).subscribe();
			List<Mono<List<Integer>>> others = new java.util.ArrayList<>();
			for (int i = 0; i < 20; i++) {
				others.add(offloader.flux(() -> {
					opens.incrementAndGet();
					maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
					return Stream.of(1, 2, 3).onClose(() -> {
						open.decrementAndGet();
						closes.incrementAndGet();
					});
				}).collectList().cache());
			}
			others.forEach(Mono::subscribe);
			await().until(() -> offloader.stats().queued() == 21);
			cancelled.dispose();
			await().until(() -> offloader.stats().queued() == 20);
			releaseFirst.countDown();
			assertThat(firstDone.block(Duration.ofSeconds(10))).containsExactly(1);
			for (Mono<List<Integer>> other : others) {
				assertThat(other.block(Duration.ofSeconds(10))).containsExactly(1, 2, 3);
			}
			assertThat(maxOpen.get()).isEqualTo(1);
			assertThat(opens.get()).isEqualTo(21);
			assertThat(closes.get()).isEqualTo(21);
			assertThat(cancelledOpens.get()).isZero();
			await().until(() -> offloader.stats().active() == 0);
		}
		finally {
			releaseFirst.countDown();
			offloader.finishShutdown(Duration.ZERO);
		}
	}

	/**
	 * Cancel racing the call's start: the stream is either never opened or opened and
	 * closed once, and the slot always comes back.
	 */
	@Test
	void cancelRacingTheStartNeverLeaksAStreamOrASlot() {
		Offloader offloader = offloader(2, 100);
		AtomicInteger opens = new AtomicInteger();
		AtomicInteger closes = new AtomicInteger();
		for (int i = 0; i < 500; i++) {
			Disposable subscription = offloader.flux(() -> {
				opens.incrementAndGet();
				return Stream.iterate(0, (n) -> n + 1).onClose(closes::incrementAndGet);
			}).subscribe();
			if ((i & 1) == 0) {
				Thread.onSpinWait();
			}
			subscription.dispose();
		}
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(closes.get()).isEqualTo(opens.get());
			assertThat(offloader.stats().active()).isZero();
			assertThat(offloader.stats().queued()).isZero();
		});
	}

	@Test
	void eachSubscriptionOpensAStreamOfItsOwn() {
		Offloader offloader = offloader(2, 10);
		AtomicInteger opens = new AtomicInteger();
		AtomicInteger closes = new AtomicInteger();
		Flux<Integer> flux = offloader.flux(() -> {
			int n = opens.incrementAndGet();
			return Stream.of(n, n).onClose(closes::incrementAndGet);
		});
		assertThat(flux.collectList().block(Duration.ofSeconds(10))).containsExactly(1, 1);
		assertThat(flux.collectList().block(Duration.ofSeconds(10))).containsExactly(2, 2);
		assertThat(opens.get()).isEqualTo(2);
		assertThat(closes.get()).isEqualTo(2);
	}

	@Test
	void onALoopTakeAndErrorsCloseTheStreamOnceAndComeBackOnTheLoop() {
		Offloader offloader = offloader(1, 10);
		try (LoopRunner loop = LoopRunner.create()) {
			Source endless = new Source(-1);
			List<String> threads = loop.run(offloader.flux(endless::open)
				.take(3)
				.map((i) -> i + "@" + Thread.currentThread().getName())
				.collectList());
			assertThat(threads).containsExactly("0@" + loop.stats().name(), "1@" + loop.stats().name(),
					"2@" + loop.stats().name());
			await().untilAsserted(() -> assertThat(endless.closes.get()).isEqualTo(1));
			assertThat(endless.reads.get()).isLessThanOrEqualTo(4);
			endless.stop.set(true);
			Source failing = new Source(100);
			failing.failAt = 2;
			failing.failure = new IllegalStateException("cursor broke");
			AtomicReference<String> errorOn = new AtomicReference<>();
			List<Integer> beforeError = new CopyOnWriteArrayList<>();
			Throwable error = loop.run(offloader.flux(failing::open)
				.doOnNext(beforeError::add)
				.doOnError((ex) -> errorOn.set(Thread.currentThread().getName()))
				.then(Mono.<Throwable>empty())
				.onErrorResume(Mono::just));
			assertThat(error).isSameAs(failing.failure);
			assertThat(beforeError).containsExactly(0, 1);
			assertThat(errorOn.get()).isEqualTo(loop.stats().name());
			assertThat(failing.closes.get()).isEqualTo(1);
			await().until(() -> offloader.stats().active() == 0);
		}
		finally {
			offloader.finishShutdown(Duration.ZERO);
		}
	}

	/**
	 * The loop a flux delivers to shuts down while the pool thread waits for demand: the
	 * next request cannot be delivered on the loop, and the flux must still end, closing
	 * the stream and freeing the slot.
	 */
	@Test
	void theLoopShuttingDownUnderAFluxStillClosesTheStreamOnTheNextRequest() {
		Offloader offloader = offloader(1, 10);
		Source source = new Source(10_000);
		List<Integer> received = new CopyOnWriteArrayList<>();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		LoopRunner loop = LoopRunner.create();
		OneAtATime subscriber = new OneAtATime(received, new AtomicReference<>()) {

			@Override
			protected void hookOnError(Throwable throwable) {
				failure.set(throwable);
			}

		};
		loop.call(() -> {
			offloader.flux(source::open).subscribe(subscriber);
			return null;
		});
		await().until(() -> received.size() == 1);
		loop.finishShutdown(Duration.ZERO);
		subscriber.more(5);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(source.closes.get()).isEqualTo(1);
			assertThat(offloader.stats().active()).isZero();
		});
	}

	@Test
	void theCallersContextIsInPlaceForOpeningAndReadingAndNotLeftBehind() {
		Offloader offloader = this.offloaders.build(Offloader.builder()
			.contextCapture(ContextCapture.of(true))
			.defaultPool((pool) -> pool.threads(ThreadMode.PLATFORM).maxConcurrency(1)));
		Flux<String> flux = offloader.flux(() -> {
			String opened = MDC.get("request");
			return Stream.of(1, 2).map((i) -> opened + "/" + MDC.get("request"));
		});
		MDC.put("request", "r1");
		try {
			assertThat(flux.collectList().block(Duration.ofSeconds(10))).containsExactly("r1/r1", "r1/r1");
		}
		finally {
			MDC.remove("request");
		}
		assertThat(flux.collectList().block(Duration.ofSeconds(10))).containsExactly("null/null", "null/null");
	}

	/** Waits until the thread reading {@code source} parks for downstream demand. */
	private static void awaitParkedForDemand(Source source) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			Thread reader = source.reader;
			Object blocker = (reader != null) ? LockSupport.getBlocker(reader) : null;
			return blocker != null && blocker.getClass().getSimpleName().equals("Demand");
		});
	}

	/**
	 * An endless (or bounded) blocking source that counts its reads and closes, can fail
	 * or block at a given item, and never looks at interrupts unless blocked.
	 */
	static final class Source implements Iterator<Integer> {

		final AtomicInteger reads = new AtomicInteger();

		final AtomicInteger opens = new AtomicInteger();

		final AtomicInteger closes = new AtomicInteger();

		final AtomicBoolean stop = new AtomicBoolean();

		final AtomicBoolean interrupted = new AtomicBoolean();

		final CountDownLatch blocked = new CountDownLatch(1);

		final int size;

		volatile Thread reader;

		int failAt = -1;

		RuntimeException failure;

		int blockAt = -1;

		Source(int size) {
			this.size = size;
		}

		Stream<Integer> open() {
			this.opens.incrementAndGet();
			return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
				.onClose(this.closes::incrementAndGet);
		}

		@Override
		public boolean hasNext() {
			return !this.stop.get() && (this.size < 0 || this.reads.get() < this.size);
		}

		@Override
		public Integer next() {
			this.reader = Thread.currentThread();
			int n = this.reads.get();
			if (n == this.failAt) {
				throw this.failure;
			}
			if (n == this.blockAt) {
				this.blocked.countDown();
				try {
					while (!this.stop.get()) {
						if (new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS)) {
							break;
						}
					}
					throw new NoSuchElementException("stopped");
				}
				catch (InterruptedException ex) {
					this.interrupted.set(true);
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted", ex);
				}
			}
			return this.reads.getAndIncrement();
		}

	}

	/** Requests one item at first, then what the test asks for. */
	static class OneAtATime extends BaseSubscriber<Integer> {

		private final List<Integer> received;

		private final AtomicReference<String> deliveredOn;

		OneAtATime(List<Integer> received, AtomicReference<String> deliveredOn) {
			this.received = received;
			this.deliveredOn = deliveredOn;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(1);
		}

		@Override
		protected void hookOnNext(Integer value) {
			this.deliveredOn.set(Thread.currentThread().getName());
			this.received.add(value);
		}

		void more(long n) {
			upstream().request(n);
		}

	}

}
