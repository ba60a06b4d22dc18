/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopStats;
import dev.bridge.loop.LoopTimeoutException;
import dev.bridge.offload.OffloadTimeoutException;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Pause and resume of the loop runner and the offloader through their public API: what
 * each state accepts, and that a pause destroys nothing a user holds.
 */
@Timeout(60)
class PauseResumeTests {

	@Test
	void aPausedLoopHoldsNewWorkLetsWorkInFlightFinishAndStartsTheHeldWorkOnResume() throws Exception {
		try (LoopRunner loop = LoopRunner.create()) {
			LoopRunner lifecycle = loop;
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<String> inFlight = loop
				.submit(Mono.fromFuture(onNewThread(() -> awaitRelease(release, "in flight"))));
			lifecycle.pause();
			assertThat(loop.stats().state()).isEqualTo(LoopStats.State.PAUSED);
			assertThat(loop.stats().alive()).isTrue();
			AtomicInteger ran = new AtomicInteger();
			CompletableFuture<Integer> held = loop.submit(Mono.fromCallable(ran::incrementAndGet));
			CompletableFuture<Integer> heldCall = onNewThread(() -> loop.call(ran::incrementAndGet));
			CompletableFuture<Integer> quiet = onNewThread(() -> lifecycle.awaitQuiescence(Duration.ofSeconds(10)));
			await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !quiet.isDone());
			release.countDown();
			assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("in flight");
			assertThat(quiet.get(5, TimeUnit.SECONDS)).as("calls still running").isZero();
			await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> loop.stats().held() == 2);
			assertThat(ran).hasValue(0);
			assertThat(lifecycle.resume()).isEqualTo(2);
			assertThat(held.get(5, TimeUnit.SECONDS)).isPositive();
			assertThat(heldCall.get(5, TimeUnit.SECONDS)).isPositive();
			assertThat(ran).hasValue(2);
			assertThat(loop.stats().state()).isEqualTo(LoopStats.State.RUNNING);
		}
	}

	@Test
	void awaitQuiescenceOfTheLoopWaitsOnlyForTheWorkInFlightAtThePause() throws Exception {
		// A context's stop racing its start: once resumed, new work keeps the loop busy,
		// and the stop must still return when the work of its own pause has ended.
		try (LoopRunner loop = LoopRunner.builder().build()) {
			Sinks.One<String> first = Sinks.one();
			CompletableFuture<String> atPause = loop.submit(first.asMono());
			await().atMost(Duration.ofSeconds(5)).until(() -> loop.stats().inFlight() == 1);
			loop.pause();
			CompletableFuture<Integer> left = new CompletableFuture<>();
			Thread waiter = new Thread(() -> left.complete(loop.awaitQuiescence(Duration.ofSeconds(20))));
			waiter.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
			loop.resume();
			Sinks.One<String> later = Sinks.one();
			CompletableFuture<String> afterResume = loop.submit(later.asMono());
			first.tryEmitValue("done");
			assertThat(atPause.get(5, TimeUnit.SECONDS)).isEqualTo("done");
			assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
			later.tryEmitValue("later");
			assertThat(afterResume.get(5, TimeUnit.SECONDS)).isEqualTo("later");
		}
	}

	@Test
	void aStreamOpenedWhilePausedStartsOnResume() throws Exception {
		try (LoopRunner loop = LoopRunner.create()) {
			LoopRunner lifecycle = loop;
			lifecycle.pause();
			CompletableFuture<List<Integer>> items = onNewThread(() -> {
				try (Stream<Integer> stream = loop.stream(Flux.range(1, 3))) {
					return stream.toList();
				}
			});
			await().until(() -> loop.stats().held() == 1);
			lifecycle.resume();
			assertThat(items.get(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
		}
	}

	@Test
	void aWaitThatRunsOutWhilePausedSaysTheLoopIsPausedAndTheWorkNeverRunsLater() {
		try (LoopRunner loop = LoopRunner.create()) {
			LoopRunner lifecycle = loop;
			lifecycle.pause();
			AtomicInteger ran = new AtomicInteger();
			assertThatExceptionOfType(LoopTimeoutException.class)
				.isThrownBy(() -> loop.run(Mono.fromCallable(ran::incrementAndGet), Duration.ofMillis(100)))
				.withMessageContaining("is paused")
				.withMessageContaining("holds new work until it is started again");
			assertThat(loop.stats().held()).isZero();
			lifecycle.resume();
			assertThat(loop.call(ran::get)).isZero();
		}
	}

	@Test
	void managedResourcesSurviveAPauseAndCloseOnceAtShutdown() {
		AtomicInteger closed = new AtomicInteger();
		LoopRunner loop = LoopRunner.create();
		LoopRunner lifecycle = loop;
		loop.manage(Mono.just("resource"), (resource) -> Mono.fromRunnable(closed::incrementAndGet));
		for (int round = 0; round < 3; round++) {
			lifecycle.pause();
			lifecycle.awaitQuiescence(Duration.ofSeconds(1));
			lifecycle.resume();
		}
		assertThat(closed).hasValue(0);
		loop.close();
		loop.close();
		assertThat(closed).hasValue(1);
	}

	@Test
	void aShutdownOfAPausedLoopCancelsTheHeldWorkAtOnceWhileTheWorkInFlightDrains() throws Exception {
		LoopRunner loop = LoopRunner.create();
		Sinks.One<String> running = Sinks.one();
		CompletableFuture<String> inFlight = loop.submit(running.asMono());
		await().atMost(Duration.ofSeconds(5)).until(() -> loop.stats().inFlight() == 1);
		loop.pause();
		CompletableFuture<String> held = loop.submit(Mono.just("never"));
		CompletableFuture<ShutdownReport> report = onNewThread(() -> loop.finishShutdown(Duration.ofSeconds(20)));
		// Held work never started: its caller hears at once, not when the drain ends.
		assertThat(held.handle((value, failure) -> failure).get(5, TimeUnit.SECONDS))
			.isInstanceOf(CancelledByShutdownException.class);
		assertThat(report).isNotDone();
		running.tryEmitValue("done");
		assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		ShutdownReport done = report.get(5, TimeUnit.SECONDS);
		assertThat(done.drained()).isOne();
		assertThat(done.cancelled()).isOne();
	}

	@Test
	void closingAPausedLoopCancelsTheHeldWorkWithTheShutdownError() {
		LoopRunner loop = LoopRunner.create();
		LoopRunner lifecycle = loop;
		lifecycle.pause();
		CompletableFuture<String> held = loop.submit(Mono.just("never"));
		ShutdownReport report = lifecycle.finishShutdown(Duration.ofSeconds(5));
		assertThat(report.cancelled()).isOne();
		assertThat(report.drained()).isZero();
		assertThat(held.handle((value, failure) -> failure).join()).isInstanceOf(CancelledByShutdownException.class);
		assertThat(report.took()).isLessThan(Duration.ofSeconds(5));
		assertThat(loop.stats().state()).isEqualTo(LoopStats.State.SHUT_DOWN);
		assertThat(lifecycle.resume()).isZero();
		assertThatExceptionOfType(ShuttingDownException.class).isThrownBy(() -> loop.submit(Mono.just("late")));
	}

	@Test
	void aPausedOffloaderHoldsCallsAndPlacesThemOnResume() throws Exception {
		Offloader offloader = Offloader.builder().pool("jdbc", (pool) -> pool.maxConcurrency(1)).build();
		Offloader lifecycle = offloader;
		try {
			lifecycle.pause();
			AtomicInteger ran = new AtomicInteger();
			CompletableFuture<Integer> first = offloader.pool("jdbc").future(ran::incrementAndGet);
			CompletableFuture<Integer> second = offloader.pool("jdbc").mono(ran::incrementAndGet).toFuture();
			await().during(Duration.ofMillis(200))
				.atMost(Duration.ofSeconds(2))
				.until(() -> ran.get() == 0 && offloader.pool("jdbc").stats().held() == 2);
			assertThat(offloader.pool("jdbc").stats().active()).isZero();
			assertThat(lifecycle.resume()).isEqualTo(2);
			assertThat(first.get(5, TimeUnit.SECONDS) + second.get(5, TimeUnit.SECONDS)).isEqualTo(3);
			assertThat(offloader.pool("jdbc").stats().held()).isZero();
		}
		finally {
			lifecycle.finishShutdown(Duration.ofSeconds(1));
		}
	}

	@Test
	void aHeldCallKeepsItsOwnTimeoutAndDoesNotRunAfterIt() throws Exception {
		Offloader offloader = Offloader.builder().build();
		Offloader lifecycle = offloader;
		try {
			lifecycle.pause();
			AtomicInteger ran = new AtomicInteger();
			CompletableFuture<Integer> held = offloader.timeout(Duration.ofMillis(100)).future(ran::incrementAndGet);
			assertThat(held.handle((value, failure) -> failure).get(5, TimeUnit.SECONDS))
				.isInstanceOf(OffloadTimeoutException.class);
			assertThat(offloader.stats().held()).isZero();
			assertThat(lifecycle.resume()).isZero();
			assertThat(offloader.future(ran::get).get(5, TimeUnit.SECONDS)).isZero();
		}
		finally {
			lifecycle.finishShutdown(Duration.ofSeconds(1));
		}
	}

	@Test
	void awaitQuiescenceOfAnOffloaderReturnsWhenTheCallInFlightEndsThoughAResumeCameFirst() throws Exception {
		// A context's stop waiting for quiescence, racing its start: the call in flight
		// ends after the resume, and must still end the wait rather than its budget.
		Offloader offloader = Offloader.builder().build();
		try {
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<Boolean> inFlight = offloader.future(() -> release.await(10, TimeUnit.SECONDS));
			await().atMost(Duration.ofSeconds(5)).until(() -> offloader.stats().active() == 1);
			offloader.pause();
			CompletableFuture<Integer> left = new CompletableFuture<>();
			Thread waiter = new Thread(() -> left.complete(offloader.awaitQuiescence(Duration.ofSeconds(20))));
			waiter.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
			offloader.resume();
			release.countDown();
			assertThat(inFlight.get(5, TimeUnit.SECONDS)).isTrue();
			assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
		}
		finally {
			offloader.finishShutdown(Duration.ofSeconds(1));
		}
	}

	@Test
	void shuttingDownAPausedOffloaderCancelsTheHeldCallsAtOnce() {
		Offloader offloader = Offloader.builder().build();
		Offloader lifecycle = offloader;
		lifecycle.pause();
		CompletableFuture<String> held = offloader.future(() -> "never");
		ShutdownReport report = lifecycle.finishShutdown(Duration.ofSeconds(5));
		assertThat(report.cancelled()).isOne();
		assertThat(report.took()).isLessThan(Duration.ofSeconds(5));
		assertThat(held.handle((value, failure) -> failure).join()).isInstanceOf(CancelledByShutdownException.class);
	}

	/**
	 * Runs {@code task} on a new thread: the common pool may have a single worker on a
	 * small machine, where one blocked task would hold up the next.
	 */
	private static <T> CompletableFuture<T> onNewThread(Supplier<T> task) {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(task.get());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		thread.setDaemon(true);
		thread.start();
		return result;
	}

	private static String awaitRelease(CountDownLatch latch, String value) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return value;
	}

}
