/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.bridge.context.ContextCapture;
import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.lifecycle.ShuttingDownException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class LoopRunnerTests {

	private final List<LoopRunner> runners = new ArrayList<>();

	private LoopRunner runner(LoopRunner.Builder builder) {
		LoopRunner runner = builder.build();
		this.runners.add(runner);
		return runner;
	}

	private LoopRunner runner() {
		return runner(LoopRunner.builder());
	}

	@AfterEach
	void closeRunners() {
		this.runners.forEach(LoopRunner::close);
	}

	@Test
	void runSubscribesOnTheLoopThreadAndReturnsTheValue() {
		LoopRunner runner = runner();
		String thread = runner.run(Mono.fromCallable(() -> Thread.currentThread().getName()));
		assertThat(thread).isEqualTo(runner.stats().name()).startsWith("bridge-loop-");
	}

	@Test
	void runOfAnEmptyMonoReturnsNull() {
		Object value = runner().run(Mono.empty());
		assertThat(value).isNull();
	}

	@Test
	void runRethrowsAnUncheckedErrorAsItselfWithTheCallerSite() {
		IllegalArgumentException failure = new IllegalArgumentException("boom");
		assertThatThrownBy(() -> runner().run(Mono.error(failure))).isSameAs(failure);
		assertThat(failure.getSuppressed()).singleElement()
			.isInstanceOf(LoopWork.CallerSite.class)
			.satisfies(
					(site) -> assertThat(site.getStackTrace()).anySatisfy((frame) -> assertThat(frame.getMethodName())
						.contains("runRethrowsAnUncheckedErrorAsItselfWithTheCallerSite")));
	}

	@Test
	void callRethrowsErrorsAsThemselvesAndTheLoopSurvives() {
		LoopRunner runner = runner();
		AssertionError error = new AssertionError("fatal in a task");
		assertThatThrownBy(() -> runner.call(() -> {
			throw error;
		})).isSameAs(error);
		assertThat(runner.call(() -> 42)).isEqualTo(42);
		assertThat(runner.stats().alive()).isTrue();
		assertThat(runner.stats().failed()).isEqualTo(1);
	}

	@Test
	void aFatalErrorThrownWhileSubscribingReachesTheCallerInsteadOfLeavingItWaiting() {
		LoopRunner runner = runner();
		LinkageError fatal = new LinkageError("fatal at subscribe");
		Mono<String> throwsAtSubscribe = Mono.from((subscriber) -> {
			throw fatal;
		});
		CompletableFuture<String> submitted = runner.submit(throwsAtSubscribe);
		assertThat(submitted).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isSameAs(fatal);
		assertThatThrownBy(() -> runner.run(throwsAtSubscribe, Duration.ofSeconds(5))).isSameAs(fatal);
		assertThat(runner.call(() -> "alive")).isEqualTo("alive");
	}

	@Test
	void callRunInlineOnTheLoopDoesNotLeakTheTasksContextChangesIntoItsCaller() {
		LoopRunner runner = runner(LoopRunner.builder().contextCapture(ContextCapture.of(true)));
		String callerSees = runner.call(() -> {
			MDC.put("user", "caller");
			runner.call(() -> {
				MDC.put("user", "intruder");
				return null;
			});
			String seen = MDC.get("user");
			MDC.remove("user");
			return seen;
		});
		assertThat(callerSees).isEqualTo("caller");
	}

	@Test
	void checkedExceptionsAreWrappedOnceWithTheOriginalAsCause() {
		Exception checked = new Exception("checked");
		assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> runner().call(() -> {
			throw checked;
		})).withCause(checked);
	}

	@Test
	void callOnTheLoopThreadRunsInline() {
		LoopRunner runner = runner();
		String nested = runner.call(() -> runner.call(() -> Thread.currentThread().getName()));
		assertThat(nested).isEqualTo(runner.stats().name());
	}

	@Test
	void currentIsTheRunnerOnItsLoopThreadOnly() {
		LoopRunner runner = runner();
		assertThat(runner.call(LoopRunner::current)).isSameAs(runner);
		assertThat(runner.call(runner::inLoop)).isTrue();
		assertThat(LoopRunner.current()).isNull();
		assertThat(runner.inLoop()).isFalse();
	}

	@Test
	void runFromTheLoopThreadFailsFastInsteadOfDeadlocking() {
		LoopRunner runner = runner();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		runner.call(() -> {
			try {
				return runner.run(Mono.just(1));
			}
			catch (LoopDeadlockException ex) {
				failure.set(ex);
				return null;
			}
		});
		assertThat(failure.get()).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining(runner.stats().name())
			.hasMessageContaining("compose with the Mono");
	}

	@Test
	void waitingOnASubmittedFutureFromTheLoopThreadFailsFast() {
		LoopRunner runner = runner();
		Throwable failure = runner.call(() -> {
			CompletableFuture<Integer> future = runner.submit(Mono.never());
			try {
				future.get();
				return null;
			}
			catch (LoopDeadlockException ex) {
				future.cancel(true);
				return ex;
			}
		});
		assertThat(failure).isInstanceOf(LoopDeadlockException.class)
			.hasMessageContaining("get() on the future of submit(..)");
	}

	@Test
	void waitsFromAnotherNonBlockingThreadFailFastNamingTheThread() throws Exception {
		LoopRunner runner = runner(LoopRunner.builder().shutdownTimeout(Duration.ZERO));
		Scheduler foreign = Schedulers.newParallel("netty-like", 1);
		try {
			List<Throwable> failures = new CopyOnWriteArrayList<>();
			CountDownLatch done = new CountDownLatch(1);
			foreign.schedule(() -> {
				for (Runnable wait : List.<Runnable>of(() -> runner.run(Mono.just(1)), () -> runner.call(() -> 1),
						() -> runner.stream(Flux.just(1)), () -> runner.submit(Mono.never()).join(),
						() -> runner.manage(Mono.just("r"), (r) -> Mono.empty()))) {
					try {
						wait.run();
					}
					catch (LoopDeadlockException ex) {
						failures.add(ex);
					}
				}
				done.countDown();
			});
			assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(failures).hasSize(5)
				.allSatisfy((ex) -> assertThat(ex).hasMessageContaining("non-blocking thread 'netty-like-")
					.hasMessageContaining("@OffloadBlocking"));
		}
		finally {
			foreign.dispose();
		}
	}

	@Test
	void runTimesOutAndCancelsTheWork() {
		LoopRunner runner = runner();
		CountDownLatch cancelled = new CountDownLatch(1);
		assertThatExceptionOfType(LoopTimeoutException.class)
			.isThrownBy(() -> runner.run(Mono.never().doOnCancel(cancelled::countDown), Duration.ofMillis(100)))
			.withMessageContaining("timed out after 100 ms")
			.withCauseInstanceOf(TimeoutException.class);
		await().until(() -> cancelled.getCount() == 0);
		assertThat(runner.stats().cancelled()).isEqualTo(1);
		assertThat(runner.stats().inFlight()).isZero();
	}

	@Test
	void callTimesOutWithTheConfiguredCallTimeout() throws Exception {
		LoopRunner runner = runner(LoopRunner.builder().callTimeout(Duration.ofMillis(100)));
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Object> blocker = runner.submit(Mono.fromCallable(() -> release.await(10, TimeUnit.SECONDS)));
		assertThatExceptionOfType(LoopTimeoutException.class).isThrownBy(() -> runner.call(() -> 1))
			.withMessageContaining("bridge.loop.call-timeout");
		release.countDown();
		assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo(true);
	}

	@Test
	void cancellingASubmittedFutureCancelsTheSubscription() {
		LoopRunner runner = runner();
		CountDownLatch subscribed = new CountDownLatch(1);
		CountDownLatch cancelled = new CountDownLatch(1);
		CompletableFuture<Object> future = runner
			.submit(Mono.never().doOnSubscribe((s) -> subscribed.countDown()).doOnCancel(cancelled::countDown));
		await().until(() -> subscribed.getCount() == 0);
		assertThat(future.cancel(true)).isTrue();
		await().until(() -> cancelled.getCount() == 0);
		assertThat(future).isCancelled();
		await().until(() -> runner.stats().inFlight() == 0);
	}

	@Test
	void submitCompletesOnTheLoopThread() throws Exception {
		LoopRunner runner = runner();
		String thread = runner.submit(Mono.just(1))
			.thenApply((v) -> Thread.currentThread().getName())
			.get(10, TimeUnit.SECONDS);
		assertThat(thread).isIn(runner.stats().name(), Thread.currentThread().getName());
		String async = runner.submit(Mono.delay(Duration.ofMillis(20), runner.scheduler()))
			.thenApply((v) -> Thread.currentThread().getName())
			.get(10, TimeUnit.SECONDS);
		assertThat(async).isEqualTo(runner.stats().name());
	}

	@Test
	void streamNeverBuffersMoreThanThePrefetchForASlowConsumer() {
		LoopRunner runner = runner(LoopRunner.builder().prefetch(32));
		AtomicInteger emitted = new AtomicInteger();
		int consumed = 0;
		int maxAhead = 0;
		try (Stream<Integer> stream = runner.stream(Flux.range(0, 5_000).doOnNext((i) -> emitted.incrementAndGet()))) {
			for (Integer item : (Iterable<Integer>) stream::iterator) {
				assertThat(item).isEqualTo(consumed);
				consumed++;
				maxAhead = Math.max(maxAhead, emitted.get() - consumed);
				if (consumed % 500 == 0) {
					Thread.yield();
				}
			}
		}
		assertThat(consumed).isEqualTo(5_000);
		assertThat(maxAhead).isLessThanOrEqualTo(32);
		await().until(() -> runner.stats().inFlight() == 0);
		assertThat(runner.stats().completed()).isEqualTo(1);
	}

	@Test
	void streamEmitsOnTheLoopThread() {
		LoopRunner runner = runner();
		try (Stream<String> stream = runner.stream(Flux.range(0, 3).map((i) -> Thread.currentThread().getName()))) {
			assertThat(stream).containsOnly(runner.stats().name());
		}
	}

	@Test
	void closingAStreamEarlyCancelsTheSource() {
		LoopRunner runner = runner();
		CountDownLatch cancelled = new CountDownLatch(1);
		try (Stream<Long> stream = runner
			.stream(Flux.interval(Duration.ofMillis(1), runner.scheduler()).doOnCancel(cancelled::countDown))) {
			assertThat(stream.limit(5)).hasSize(5);
		}
		await().until(() -> cancelled.getCount() == 0);
		await().until(() -> runner.stats().inFlight() == 0);
	}

	@Test
	void streamRethrowsTheSourceError() {
		LoopRunner runner = runner();
		IllegalStateException failure = new IllegalStateException("source failed");
		try (Stream<Integer> stream = runner.stream(Flux.just(1, 2).concatWith(Flux.error(failure)))) {
			assertThatThrownBy(() -> stream.forEach((i) -> {
			})).isSameAs(failure);
		}
	}

	@Test
	void managedResourcesCloseOnTheLoopInReverseOrderAtShutdown() {
		LoopRunner runner = LoopRunner.create();
		List<String> closed = new CopyOnWriteArrayList<>();
		for (String name : List.of("first", "second", "third")) {
			String opened = runner.manage(Mono.fromCallable(() -> name + "@" + Thread.currentThread().getName()),
					(resource) -> Mono
						.fromRunnable(() -> closed.add(resource + "/" + Thread.currentThread().getName())));
			assertThat(opened).isEqualTo(name + "@" + runner.stats().name());
		}
		assertThat(closed).isEmpty();
		runner.close();
		String loop = runner.stats().name();
		assertThat(closed).containsExactly("third@" + loop + "/" + loop, "second@" + loop + "/" + loop,
				"first@" + loop + "/" + loop);
	}

	@Test
	void closeDrainsShortWorkThenCancelsTheRestWithAClearError() throws Exception {
		LoopRunner runner = LoopRunner.builder().shutdownTimeout(Duration.ofMillis(300)).build();
		Sinks.One<String> shortSink = Sinks.one();
		CompletableFuture<String> shortWork = runner.submit(shortSink.asMono());
		CompletableFuture<String> longWork = runner.named("Reports.slow").submit(Mono.never());
		AtomicReference<Throwable> waiterSaw = new AtomicReference<>();
		Thread waiter = new Thread(() -> {
			try {
				runner.run(Mono.never());
			}
			catch (Throwable ex) {
				waiterSaw.set(ex);
			}
		});
		waiter.start();
		await().until(() -> runner.stats().inFlight() == 3);
		long start = System.nanoTime();
		CompletableFuture<ShutdownReport> shutdown = CompletableFuture
			.supplyAsync(() -> runner.finishShutdown(Duration.ofMillis(300)));
		await().until(() -> !runner.stats().alive());
		shortSink.tryEmitValue("done");
		ShutdownReport report = shutdown.get(5, TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300 + 1000));
		assertThat(shortWork.get(1, TimeUnit.SECONDS)).isEqualTo("done");
		// CompletableFuture.get rethrows a CancellationException as itself up to JDK 21,
		// and wraps it in a new one (as the cause) from JDK 23 on
		assertThatThrownBy(() -> longWork.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class)
			.satisfies((ex) -> assertThat((ex instanceof CancelledByShutdownException) ? ex : ex.getCause())
				.isInstanceOf(CancelledByShutdownException.class)
				.hasMessageContaining("Reports.slow")
				.hasMessageContaining("bridge.shutdown.timeout"));
		waiter.join(5_000);
		assertThat(waiterSaw.get()).isInstanceOf(CancelledByShutdownException.class);
		assertThat(report.drained()).isEqualTo(1);
		assertThat(report.cancelled()).isEqualTo(2);
		assertThat(report.oldestCancelled()).containsExactly("Reports.slow", "run(Mono)");
		runner.close();
	}

	@Test
	void afterCloseNewWorkIsRefusedAndNoLoopThreadIsLeft() {
		LoopRunner runner = LoopRunner.create();
		String name = runner.stats().name();
		runner.close();
		runner.close();
		assertThat(runner.stats().alive()).isFalse();
		assertThatExceptionOfType(ShuttingDownException.class).isThrownBy(() -> runner.call(() -> 1))
			.withMessageContaining("bridge is shutting down")
			.withMessageContaining(name);
		assertThatExceptionOfType(ShuttingDownException.class).isThrownBy(() -> runner.submit(Mono.just(1)));
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> thread.getName().startsWith(name));
	}

	@Test
	void watchdogReportsAStallOnceWithTheTaskNameAndTheLoopStack() throws Exception {
		List<LoopStallEvent> events = new CopyOnWriteArrayList<>();
		CountDownLatch stalled = new CountDownLatch(1);
		LoopRunner runner = runner(LoopRunner.builder().stallThreshold(Duration.ofMillis(50)).stallListener((event) -> {
			events.add(event);
			stalled.countDown();
		}));
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Boolean> blocking = CompletableFuture
			.supplyAsync(() -> runner.named("Legacy.blockingCall").call(() -> release.await(20, TimeUnit.SECONDS)));
		assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(runner.stats().currentTaskAge()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
		release.countDown();
		assertThat(blocking.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(events).singleElement().satisfies((event) -> {
			assertThat(event.task()).isEqualTo("Legacy.blockingCall");
			assertThat(event.loopThread()).isEqualTo(runner.stats().name());
			assertThat(event.runningFor()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
			assertThat(event.stack())
				.anySatisfy((frame) -> assertThat(frame.getClassName()).contains("CountDownLatch"));
			assertThat(event.stallCount()).isEqualTo(1);
		});
		assertThat(runner.stats().stalls()).isEqualTo(1);
	}

	@Test
	void lagProbeSeesABlockedLoopAndRecovers() {
		LoopRunner runner = runner(LoopRunner.builder().lagProbeInterval(Duration.ofMillis(20)));
		CountDownLatch release = new CountDownLatch(1);
		runner.submit(Mono.fromCallable(() -> release.await(20, TimeUnit.SECONDS)));
		await().until(() -> runner.stats().lag().toMillis() >= 200);
		release.countDown();
		await().until(() -> runner.stats().lag().toMillis() < 100);
	}

	@Test
	void statsCountOutcomes() {
		LoopRunner runner = runner();
		runner.call(() -> 1);
		runner.run(Mono.just(2));
		assertThatThrownBy(() -> runner.run(Mono.error(new IllegalStateException("x"))));
		LoopStats stats = runner.stats();
		assertThat(stats.completed()).isEqualTo(2);
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.inFlight()).isZero();
		assertThat(stats.alive()).isTrue();
	}

	@Test
	void aCallerThatHasItsOutcomeFindsItCountedInTheStats() {
		LoopRunner runner = runner();
		IllegalStateException failure = new IllegalStateException("expected");
		for (int i = 1; i <= 20_000; i++) {
			runner.call(() -> 1);
			assertThat(runner.stats().completed()).isEqualTo(i);
			assertThatThrownBy(() -> runner.run(Mono.error(failure))).isSameAs(failure);
			assertThat(runner.stats().failed()).isEqualTo(i);
		}
	}

	@Test
	void aConsumerThatSawItsStreamEndFindsItCountedInTheStats() {
		LoopRunner runner = runner();
		ExecutorService completer = Executors.newSingleThreadExecutor();
		try {
			for (int i = 1; i <= 100_000; i++) {
				Sinks.Many<Integer> source = Sinks.many().unicast().onBackpressureBuffer();
				try (Stream<Integer> items = runner.stream(source.asFlux())) {
					// Ends on another thread while the consumer waits for it.
					completer.execute(source::tryEmitComplete);
					assertThat(items.count()).isZero();
				}
				assertThat(runner.stats().completed()).isEqualTo(i);
			}
		}
		finally {
			completer.shutdownNow();
		}
	}

	@Test
	void noLoopOrTimerThreadOutlivesClose() {
		for (int i = 0; i < 200; i++) {
			LoopRunner runner = LoopRunner.create();
			String name = runner.stats().name();
			assertThat(runner.call(() -> 1)).isEqualTo(1);
			runner.close();
			assertThat(Thread.getAllStackTraces().keySet()).as("threads alive after close() of %s", name)
				.noneMatch((thread) -> thread.getName().equals(name) || thread.getName().startsWith(name + "-"));
		}
	}

	@Test
	void callerMdcIsInPlaceOnTheLoopAndGoneAfterwards() {
		LoopRunner runner = runner(LoopRunner.builder().contextCapture(ContextCapture.of(true)));
		MDC.put("request", "r-7");
		try {
			assertThat(runner.call(() -> MDC.get("request"))).isEqualTo("r-7");
			assertThat(runner.run(Mono.fromCallable(() -> MDC.get("request")))).isEqualTo("r-7");
		}
		finally {
			MDC.remove("request");
		}
		assertThat(runner.call(() -> Optional.ofNullable(MDC.get("request")))).isEmpty();
	}

	@Test
	void builderRejectsInvalidSettingsNamingTheProperty() {
		assertThatThrownBy(() -> LoopRunner.builder().callTimeout(Duration.ZERO))
			.hasMessageContaining("bridge.loop.call-timeout");
		assertThatThrownBy(() -> LoopRunner.builder().stallThreshold(Duration.ofMillis(-1)))
			.hasMessageContaining("bridge.loop.stall-threshold");
		assertThatThrownBy(() -> LoopRunner.builder().lagProbeInterval(Duration.ZERO))
			.hasMessageContaining("bridge.loop.lag-probe-interval");
		assertThatThrownBy(() -> LoopRunner.builder().shutdownTimeout(Duration.ofSeconds(-1)))
			.hasMessageContaining("bridge.shutdown.timeout");
		assertThatThrownBy(() -> LoopRunner.builder().threadName(" ")).hasMessageContaining("bridge.loop.thread-name");
	}

	@Test
	void builderRejectsDurationsBeyondNanosecondsNamingTheSettingAndTheProperty() {
		Duration huge = Duration.ofDays(300_000);
		assertThatIllegalArgumentException().isThrownBy(() -> LoopRunner.builder().callTimeout(huge))
			.withMessage("callTimeout (bridge.loop.call-timeout) is too large: " + huge
					+ " does not fit in 64-bit nanoseconds (about 292 years)");
		assertThatIllegalArgumentException().isThrownBy(() -> LoopRunner.builder().stallThreshold(huge))
			.withMessageStartingWith("stallThreshold (bridge.loop.stall-threshold) is too large");
		assertThatIllegalArgumentException().isThrownBy(() -> LoopRunner.builder().lagProbeInterval(huge))
			.withMessageStartingWith("lagProbeInterval (bridge.loop.lag-probe-interval) is too large");
		assertThatIllegalArgumentException().isThrownBy(() -> LoopRunner.builder().shutdownTimeout(huge))
			.withMessageStartingWith("shutdownTimeout (bridge.shutdown.timeout) is too large");
		Duration longest = Duration.ofNanos(Long.MAX_VALUE);
		assertThatNoException().isThrownBy(() -> LoopRunner.builder()
			.callTimeout(longest)
			.stallThreshold(longest)
			.lagProbeInterval(longest)
			.shutdownTimeout(longest));
	}

}
