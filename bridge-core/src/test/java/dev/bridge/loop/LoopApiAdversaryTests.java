/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.bridge.lifecycle.ShuttingDownException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Adversarial tests of the blocking-to-loop API of {@link LoopRunner}: futures derived
 * from {@code submit(..)}, cancels racing completions, {@code run} with every kind of
 * {@code Mono}, interrupts, managed and scoped resources, and {@code close()} on the
 * loop.
 */
@Timeout(60)
class LoopApiAdversaryTests {

	private final List<LoopRunner> runners = new ArrayList<>();

	private LoopRunner runner(LoopRunner.Builder builder) {
		LoopRunner runner = builder.build();
		this.runners.add(runner);
		return runner;
	}

	@AfterEach
	void closeRunners() {
		this.runners.forEach((runner) -> runner.finishShutdown(Duration.ZERO));
	}

	/**
	 * Every future derived from a submitted future through its own methods is
	 * deadlock-guarded on the loop thread.
	 */
	@Test
	void futuresDerivedFromASubmittedFutureFailFastOnTheLoop() throws Exception {
		LoopRunner runner = runner(LoopRunner.builder());
		CompletableFuture<Object> never = runner.submit(Mono.never());
		List<Function<CompletableFuture<Object>, CompletableFuture<?>>> derivations = List.of((f) -> f,
				(f) -> f.thenApply((v) -> v), (f) -> f.thenCompose((v) -> new CompletableFuture<>()),
				(f) -> f.orTimeout(1, TimeUnit.HOURS), CompletableFuture::toCompletableFuture, CompletableFuture::copy,
				(f) -> f.exceptionally((ex) -> null), (f) -> f.handle((v, ex) -> v), (f) -> f.whenComplete((v, ex) -> {
				}), (f) -> f.thenCombine(new CompletableFuture<>(), (a, b) -> a),
				(f) -> f.applyToEither(new CompletableFuture<>(), (v) -> v),
				(f) -> f.thenApplyAsync((v) -> v).thenApply((v) -> v));
		List<String> failures = runner.call(() -> {
			List<String> failed = new ArrayList<>();
			for (Function<CompletableFuture<Object>, CompletableFuture<?>> derive : derivations) {
				CompletableFuture<?> derived = derive.apply(never);
				for (Callable<?> wait : List.<Callable<?>>of(derived::join, derived::get,
						() -> derived.get(1, TimeUnit.HOURS))) {
					try {
						wait.call();
					}
					catch (LoopDeadlockException ex) {
						failed.add(ex.getMessage());
					}
				}
			}
			return failed;
		});
		assertThat(failures).hasSize(derivations.size() * 3)
			.allSatisfy((message) -> assertThat(message).contains(runner.stats().name()));
	}

	/**
	 * A cancel racing the work's completion: the caller and the runner's stats agree on
	 * one outcome, and nothing is left in flight.
	 */
	@Test
	void aCancelRacingTheCompletionGivesTheCallerAndTheStatsTheSameOutcome() {
		LoopRunner runner = runner(LoopRunner.builder());
		int mismatches = 0;
		for (int round = 0; round < 5_000; round++) {
			LoopStats before = runner.stats();
			CompletableFuture<Integer> future = runner.submit(Mono.just(round));
			for (int spin = round % 64; spin > 0; spin--) {
				Thread.onSpinWait();
			}
			boolean cancelled = future.cancel(true);
			awaitNothingInFlight(runner);
			LoopStats after = runner.stats();
			assertThat(cancelled).isEqualTo(future.isCancelled());
			boolean countedCancelled = after.cancelled() - before.cancelled() == 1
					&& after.completed() == before.completed();
			boolean countedCompleted = after.completed() - before.completed() == 1
					&& after.cancelled() == before.cancelled();
			if (future.isCancelled() ? !countedCancelled : !(countedCompleted && future.join() == round)) {
				mismatches++;
			}
		}
		assertThat(mismatches).as("rounds where the caller's outcome differs from the stats'").isZero();
	}

	/**
	 * Work submitted while paused and cancelled before the resume never runs, and leaves
	 * nothing held or in flight.
	 */
	@Test
	void heldWorkCancelledBeforeTheResumeNeverRuns() {
		LoopRunner runner = runner(LoopRunner.builder());
		AtomicInteger ran = new AtomicInteger();
		for (int round = 0; round < 200; round++) {
			runner.pause();
			CompletableFuture<Integer> held = runner.submit(Mono.fromCallable(ran::incrementAndGet));
			assertThat(runner.stats().held()).isOne();
			assertThat(held.cancel(true)).isTrue();
			assertThat(runner.stats().held()).isZero();
			assertThat(runner.resume()).isZero();
			assertThat(runner.call(ran::get)).isZero();
			assertThat(runner.stats().inFlight()).isZero();
		}
		assertThat(runner.stats().cancelled()).isEqualTo(200);
	}

	/**
	 * {@code run(mono, timeout)} with an empty, a failing, a never-completing and a
	 * synchronously throwing {@code Mono}.
	 */
	@Test
	void runWithATimeoutReportsEachKindOfMonoAsDocumented() {
		LoopRunner runner = runner(LoopRunner.builder());
		Duration timeout = Duration.ofMillis(200);
		assertThat(runner.run(Mono.<String>empty(), timeout)).isNull();
		IllegalStateException failure = new IllegalStateException("failed");
		assertThatThrownBy(() -> runner.run(Mono.error(failure), timeout)).isSameAs(failure);
		IllegalStateException thrown = new IllegalStateException("thrown at subscribe");
		assertThatThrownBy(() -> runner.run(Mono.from((subscriber) -> {
			throw thrown;
		}), timeout)).isSameAs(thrown);
		assertThatThrownBy(() -> runner.run(Mono.fromCallable(() -> {
			throw new IOException("checked");
		}), timeout)).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
		CountDownLatch cancelled = new CountDownLatch(1);
		assertThatExceptionOfType(LoopTimeoutException.class)
			.isThrownBy(() -> runner.run(Mono.never().doOnCancel(cancelled::countDown), timeout))
			.withMessageContaining("200 ms");
		await().atMost(Duration.ofSeconds(5)).until(() -> cancelled.getCount() == 0);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> runner.run(Mono.just(1), Duration.ZERO));
		await().pollInterval(Duration.ofMillis(1)).until(() -> runner.stats().inFlight() == 0);
	}

	/**
	 * Interrupting a thread waiting in {@code run} cancels the work's subscription on the
	 * loop and keeps the thread's interrupt flag.
	 */
	@Test
	void interruptingAWaitInRunCancelsTheSubscriptionAndKeepsTheFlag() throws Exception {
		LoopRunner runner = runner(LoopRunner.builder());
		CountDownLatch subscribed = new CountDownLatch(1);
		CompletableFuture<Boolean> cancelledOnLoop = new CompletableFuture<>();
		CompletableFuture<Throwable> failure = new CompletableFuture<>();
		AtomicBoolean flagKept = new AtomicBoolean();
		Thread caller = new Thread(() -> {
			try {
				runner.run(Mono.never()
					.doOnSubscribe((s) -> subscribed.countDown())
					.doOnCancel(() -> cancelledOnLoop.complete(runner.inLoop())));
			}
			catch (Throwable ex) {
				flagKept.set(Thread.currentThread().isInterrupted());
				failure.complete(ex);
			}
		}, "interrupted-runner");
		caller.start();
		assertThat(subscribed.await(5, TimeUnit.SECONDS)).isTrue();
		caller.interrupt();
		assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class)
			.hasMessageContaining("interrupted")
			.hasMessageContaining("subscription was cancelled");
		assertThat(cancelledOnLoop.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(flagKept).isTrue();
		await().pollInterval(Duration.ofMillis(1)).until(() -> runner.stats().inFlight() == 0);
	}

	/**
	 * Nested inline calls on the loop run in order on the loop thread, and an exception
	 * thrown two levels down reaches the outer caller as itself.
	 */
	@Test
	void nestedCallsOnTheLoopRunInlineAndRethrowAsThemselves() {
		LoopRunner runner = runner(LoopRunner.builder());
		IllegalStateException deep = new IllegalStateException("deep");
		List<String> trace = new CopyOnWriteArrayList<>();
		assertThatThrownBy(() -> runner.call(() -> {
			trace.add("outer " + runner.inLoop());
			return runner.named("middle").call(() -> {
				trace.add("middle " + runner.inLoop());
				return runner.call(() -> {
					trace.add("inner " + runner.inLoop());
					throw deep;
				});
			});
		})).isSameAs(deep);
		assertThat(trace).containsExactly("outer true", "middle true", "inner true");
		assertThat(runner.stats().inFlight()).isZero();
	}

	/**
	 * Managed resources: an open that fails registers nothing; a close that fails does
	 * not stop the others, which close in reverse order of opening; a close that never
	 * completes is bounded by the shutdown budget, and the closes after it still run.
	 */
	@Test
	void managedClosesRunInReverseOrderPastFailingAndHangingCloses() {
		LoopRunner runner = LoopRunner.builder().shutdownTimeout(Duration.ofMillis(500)).build();
		List<String> closed = new CopyOnWriteArrayList<>();
		Function<String, Mono<Void>> closer = (resource) -> Mono.fromRunnable(() -> closed.add(resource));
		runner.manage(Mono.just("first"), closer);
		runner.named("second")
			.manage(Mono.just("second"), (resource) -> Mono.error(new IllegalStateException("close failed")));
		assertThatThrownBy(() -> runner.manage(Mono.<String>error(new IllegalStateException("open failed")), closer))
			.hasMessage("open failed");
		runner.manage(Mono.just("third"), closer);
		runner.manage(Mono.just("fourth"), (resource) -> Mono.never());
		long start = System.nanoTime();
		runner.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(took).isLessThan(Duration.ofMillis(500 + 1_500));
		assertThat(closed).containsExactly("third", "first");
		assertThatExceptionOfType(ShuttingDownException.class)
			.isThrownBy(() -> runner.manage(Mono.just("late"), closer));
		assertThat(closed).containsExactly("third", "first");
	}

	/**
	 * A resource whose open completes while the runner shuts down is closed on the loop:
	 * the shutdown must not close the managed resources and stop the loop between the
	 * open's end and the resource's registration.
	 */
	@Test
	void aResourceOpenedAsTheRunnerShutsDownIsClosed() throws Exception {
		int leaked = 0;
		for (int round = 0; round < 150; round++) {
			LoopRunner runner = LoopRunner.builder().shutdownTimeout(Duration.ofSeconds(5)).build();
			Sinks.One<String> opening = Sinks.one();
			AtomicInteger closed = new AtomicInteger();
			CompletableFuture<Object> managed = new CompletableFuture<>();
			Thread manager = new Thread(() -> {
				try {
					managed.complete(runner.named("Session.open")
						.manage(opening.asMono(), (resource) -> Mono.fromRunnable(closed::incrementAndGet)));
				}
				catch (Throwable ex) {
					managed.complete(ex);
				}
			}, "manager");
			manager.start();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> runner.stats().inFlight() == 1);
			Thread closer = new Thread(runner::close, "closer");
			closer.start();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> runner.stats().state() == LoopStats.State.SHUT_DOWN);
			opening.tryEmitValue("session");
			closer.join(10_000);
			manager.join(10_000);
			assertThat(managed.get(1, TimeUnit.SECONDS)).isEqualTo("session");
			if (closed.get() != 1) {
				leaked++;
			}
		}
		assertThat(leaked).as("rounds whose resource was not closed once").isZero();
	}

	/**
	 * {@code close()} on the loop thread fails at once, as documented, even while another
	 * thread is closing the runner; it must not wait for a shutdown that waits for it.
	 */
	@Test
	void closeOnTheLoopFailsFastWhileAnotherThreadCloses() throws Exception {
		LoopRunner runner = runner(LoopRunner.builder().shutdownTimeout(Duration.ofSeconds(3)));
		CompletableFuture<Object> closeOnLoop = new CompletableFuture<>();
		CountDownLatch onLoop = new CountDownLatch(1);
		runner.submit(Mono.fromRunnable(() -> {
			onLoop.countDown();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (runner.stats().state() != LoopStats.State.SHUT_DOWN && System.nanoTime() < deadline) {
				Thread.onSpinWait();
			}
			try {
				runner.close();
				closeOnLoop.complete("returned");
			}
			catch (Throwable ex) {
				closeOnLoop.complete(ex);
			}
		}));
		assertThat(onLoop.await(5, TimeUnit.SECONDS)).isTrue();
		Thread closer = new Thread(runner::close, "closer");
		closer.start();
		try {
			assertThat(closeOnLoop.get(2, TimeUnit.SECONDS)).isInstanceOf(LoopDeadlockException.class)
				.asString()
				.contains(runner.stats().name());
		}
		finally {
			closer.join(10_000);
		}
	}

	/**
	 * {@code close()} on the loop thread with no other shutdown going on fails at once.
	 */
	@Test
	void closeOnTheLoopFailsFast() {
		LoopRunner runner = runner(LoopRunner.builder());
		assertThatExceptionOfType(LoopDeadlockException.class).isThrownBy(() -> runner.call(() -> {
			runner.close();
			return null;
		})).withMessageContaining(runner.stats().name());
		assertThat(runner.stats().state()).isEqualTo(LoopStats.State.RUNNING);
		assertThat(runner.call(() -> 1)).isEqualTo(1);
	}

	/**
	 * A closer that hands back what the block threw (propagates it) must not replace the
	 * block's exception: a throwable cannot suppress itself.
	 */
	@Test
	void aCloserRethrowingTheBlocksErrorLeavesTheBlocksErrorToTheCaller() {
		LoopRunner runner = runner(LoopRunner.builder());
		IllegalStateException failure = new IllegalStateException("block failed");
		assertThatThrownBy(() -> runner.using(Mono.just("session"), (session) -> {
			throw failure;
		}, (session, error) -> (error != null) ? Mono.error(error) : Mono.empty())).isSameAs(failure);
	}

	/**
	 * A block that throws a checked exception undeclared (Kotlin, Lombok's
	 * {@code @SneakyThrows}) ends the block too: the resource must be closed, and the
	 * closer must see the exception.
	 */
	@Test
	void aBlockEndedByAnUndeclaredCheckedExceptionStillClosesTheResource() {
		LoopRunner runner = runner(LoopRunner.builder());
		IOException failure = new IOException("undeclared");
		List<String> closes = new CopyOnWriteArrayList<>();
		assertThatThrownBy(() -> runner.using(Mono.just("session"), (session) -> sneakyThrow(failure),
				(session, error) -> Mono.fromRunnable(() -> closes.add(session + " " + error))))
			.isSameAs(failure);
		assertThat(closes).containsExactly("session " + failure);
	}

	/**
	 * A scoped close refused by the deadlock guard (on the loop thread) has not closed
	 * the resource: closing it then from a thread that may wait must still run the
	 * closer.
	 */
	@Test
	void aCloseRefusedOnTheLoopLeavesTheHandleToCloseFromAnotherThread() throws Exception {
		LoopRunner runner = runner(LoopRunner.builder());
		AtomicInteger closes = new AtomicInteger();
		LoopRunner.Scoped<String> session = runner.open(Mono.just("session"),
				(resource, failure) -> Mono.fromRunnable(closes::incrementAndGet));
		assertThatExceptionOfType(LoopDeadlockException.class).isThrownBy(() -> runner.call(() -> {
			session.close();
			return null;
		}));
		assertThat(closes).hasValue(0);
		session.close();
		assertThat(closes).hasValue(1);
		runner.call(() -> {
			session.close();
			return null;
		});
		assertThat(closes).hasValue(1);
	}

	private static void awaitNothingInFlight(LoopRunner runner) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (runner.stats().inFlight() != 0) {
			assertThat(System.nanoTime() - deadline).as("nanoseconds past the wait for nothing in flight").isNegative();
			Thread.yield();
		}
	}

	@SuppressWarnings("unchecked")
	private static <T, E extends Throwable> T sneakyThrow(Throwable failure) throws E {
		throw (E) failure;
	}

}
