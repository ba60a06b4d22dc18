/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.bridge.context.ContextCapture;
import dev.bridge.offload.Offloader.PoolSpec;
import dev.bridge.offload.Offloader.ThreadMode;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Adversarial interleavings of the short-call fast path (warm hand-off, delivery after
 * the slot is freed, the caller's brief wait, {@link OffloadPool#runIfQueued}): each test
 * drives one race many times, with latches, and checks a guarantee of
 * docs/reliability.md.
 */
@Timeout(60)
class FastPathAdversaryTests {

	private static final int CONTINUATION_ROUNDS = 10;

	private static final ThreadLocal<String> USER = new ThreadLocal<>();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private Offloader offloader;

	@AfterEach
	void shutDown() {
		if (this.offloader != null) {
			this.offloader.finishShutdown(Duration.ofSeconds(5));
		}
		this.threads.shutdownNow();
		USER.remove();
	}

	private Offloader pool(Consumer<PoolSpec> spec) {
		return pool(spec, ContextCapture.none());
	}

	private Offloader pool(Consumer<PoolSpec> spec, ContextCapture capture) {
		this.offloader = Offloader.builder().contextCapture(capture).defaultPool(spec).build();
		return this.offloader;
	}

	private static Offloader.ThreadMode platform() {
		return ThreadMode.PLATFORM;
	}

	private static void spin(long nanos) {
		long end = System.nanoTime() + nanos;
		while (System.nanoTime() - end < 0) {
			Thread.onSpinWait();
		}
	}

	private static <T> T within(CompletableFuture<T> future, long millis) {
		try {
			return future.get(millis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CompletionException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new CompletionException(ex);
		}
	}

	private void assertSettled(Offloader offloader) {
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(offloader.stats().active()).as("active").isZero());
		assertThat(offloader.stats().queued()).as("queued").isZero();
	}

	// --- 1. A continuation run by deliverPending, on a warm worker
	// -----------------------

	/**
	 * A caller's continuation runs on the worker that completes the call
	 * ({@code deliverPending}). A continuation that makes a call on the same pool and
	 * waits for it must get it run: the call must not be handed to the very thread that
	 * waits for it (the worker offers itself only once the continuation has run).
	 */
	@Test
	void aContinuationWaitingForANewCallOfItsPoolIsNotHandedItsOwnCall() {
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(4).queueCapacity(16));
		int failures = stuckContinuations(offloader, 2,
				(first) -> first.thenApply((x) -> within(offloader.future(() -> x + 1), 300)));
		assertThat(failures).as("continuations that waited out their nested call, of " + CONTINUATION_ROUNDS).isZero();
		assertSettled(offloader);
	}

	/**
	 * Same, but the call is made by another thread the continuation waits for: no call
	 * may be handed to a worker while a continuation blocks it in {@code deliverPending}.
	 */
	@Test
	void aContinuationWaitingForAnotherThreadsCallOfItsPoolIsNotStuckBehindIt() {
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(4).queueCapacity(16));
		int failures = stuckContinuations(offloader, 2,
				(first) -> first.thenApply((x) -> within(
						CompletableFuture.supplyAsync(() -> within(offloader.future(() -> x + 1), 300), this.threads),
						400)));
		assertThat(failures).as("continuations that waited out another thread's call, of " + CONTINUATION_ROUNDS)
			.isZero();
		assertSettled(offloader);
	}

	/**
	 * A continuation of call A waits for call B, queued behind A on a full pool, platform
	 * or virtual. With calls queued, A's outcome goes out while B is still queued and the
	 * worker still holds the slot, so the continuation runs B ({@code runIfQueued})
	 * rather than wait for the very worker that runs it.
	 */
	@ParameterizedTest
	@EnumSource(value = ThreadMode.class, names = { "PLATFORM", "VIRTUAL" })
	void aContinuationWaitingForTheCallQueuedBehindItsOwnRunsIt(ThreadMode threads) {
		assumeThat(threads == ThreadMode.PLATFORM || VirtualThreads.AVAILABLE).as("virtual threads").isTrue();
		Offloader offloader = pool((spec) -> spec.threads(threads).maxConcurrency(1).queueCapacity(4));
		int failures = stuckContinuations(offloader, 3, (first) -> {
			CompletableFuture<Integer> second = offloader.future(() -> 2);
			return first.thenApply((x) -> x + within(second, 300));
		});
		assertThat(failures)
			.as("continuations that waited out the call queued behind theirs, of " + CONTINUATION_ROUNDS)
			.isZero();
		assertSettled(offloader);
	}

	/**
	 * Rounds of a first call held until {@code chain} has attached its continuation (and
	 * made whatever calls it makes first), then released.
	 * @return how many rounds did not end with {@code expected} within 5 s
	 */
	private static int stuckContinuations(Offloader offloader, int expected,
			Function<CompletableFuture<Integer>, CompletableFuture<Integer>> chain) {
		int failures = 0;
		for (int i = 0; i < CONTINUATION_ROUNDS; i++) {
			CountDownLatch go = new CountDownLatch(1);
			CompletableFuture<Integer> first = offloader.future(() -> {
				go.await();
				return 1;
			});
			CompletableFuture<Integer> chained = chain.apply(first);
			go.countDown();
			try {
				assertThat(chained.get(5, TimeUnit.SECONDS)).isEqualTo(expected);
			}
			catch (Exception ex) {
				failures++;
			}
		}
		return failures;
	}

	/**
	 * A thread-local a continuation leaves on the worker (run by deliverPending) never
	 * reaches the call handed to that worker, even one handed while the continuation
	 * still runs.
	 */
	@Test
	void aThreadLocalLeftByAContinuationNeverReachesTheCallHandedNext() throws Exception {
		ContextRegistry registry = new ContextRegistry().registerThreadLocalAccessor(new UserAccessor());
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(1).queueCapacity(4),
				ContextCapture.of(registry, false));
		int rounds = 2_000;
		int leaks = 0;
		for (int i = 0; i < rounds; i++) {
			CountDownLatch go = new CountDownLatch(1);
			CountDownLatch inContinuation = new CountDownLatch(1);
			long hold = ThreadLocalRandom.current().nextLong(0, 60_000);
			CompletableFuture<Integer> first = offloader.future(() -> {
				go.await();
				return 1;
			});
			first.thenRun(() -> {
				USER.set("leaked");
				inContinuation.countDown();
				spin(hold);
			});
			go.countDown();
			inContinuation.await();
			String seen = offloader.future(() -> String.valueOf(USER.get())).get(5, TimeUnit.SECONDS);
			if (!"null".equals(seen)) {
				leaks++;
			}
		}
		assertThat(leaks).as("calls that saw the previous continuation's thread-local, of " + rounds).isZero();
		assertSettled(offloader);
	}

	/**
	 * A continuation that throws, on the worker, neither loses nor blocks later calls.
	 */
	@Test
	void aContinuationThatThrowsLosesNothing() throws Exception {
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(2).queueCapacity(0));
		int rounds = 2_000;
		for (int i = 0; i < rounds; i++) {
			int round = i;
			CountDownLatch go = new CountDownLatch(1);
			CountDownLatch subscriberRan = new CountDownLatch(1);
			CompletableFuture<Integer> first = offloader.future(() -> {
				go.await();
				return 1;
			});
			CompletableFuture<Object> thrown = first.thenApply((x) -> {
				if (round % 2 == 0) {
					throw new IllegalStateException("boom");
				}
				throw new AssertionError("boom");
			});
			offloader.mono(() -> {
				go.await();
				return 3;
			}).subscribe((x) -> {
				subscriberRan.countDown();
				throw new IllegalStateException("subscriber boom");
			}, (error) -> subscriberRan.countDown());
			go.countDown();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> thrown.get(5, TimeUnit.SECONDS));
			assertThat(subscriberRan.await(5, TimeUnit.SECONDS)).isTrue();
			// Sequential callers of a full pool without a queue are never refused.
			assertThat(offloader.future(() -> 2).get(5, TimeUnit.SECONDS)).isEqualTo(2);
		}
		assertSettled(offloader);
		assertThat(offloader.stats().completed()).isEqualTo(3L * rounds);
	}

	// --- 2. Hand-off racing the warm worker's deadline
	// ----------------------------------

	/**
	 * Several sequential callers on a pool with as many slots and no queue, each making
	 * its next call after a random pause around the warm worker's 50 µs: no call is
	 * refused, none lost, the limit holds, every count is exact.
	 */
	@Test
	void handOffsRacingTheWarmDeadlineLoseNothingAndKeepTheLimit() throws Exception {
		int limit = 3;
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(limit).queueCapacity(0));
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		int perCaller = 4_000;
		CompletableFuture<?>[] callers = new CompletableFuture<?>[limit];
		for (int c = 0; c < limit; c++) {
			callers[c] = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < perCaller; i++) {
					spin(ThreadLocalRandom.current().nextLong(0, 80_000));
					int value = i;
					int got = within(offloader.future(() -> {
						most.accumulateAndGet(running.incrementAndGet(), Math::max);
						running.decrementAndGet();
						return value;
					}), 5_000);
					assertThat(got).isEqualTo(value);
				}
			}, this.threads);
		}
		CompletableFuture.allOf(callers).get(50, TimeUnit.SECONDS);
		assertThat(most.get()).as("bodies at once").isLessThanOrEqualTo(limit);
		assertSettled(offloader);
		assertThat(offloader.stats().rejected()).as("rejected").isZero();
		assertThat(offloader.stats().completed()).isEqualTo((long) limit * perCaller);
	}

	// --- 3. Cancel, interrupt and the counts -------------------------------------------

	/**
	 * A cancel with interrupt of a call racing its end never leaves the interrupt to the
	 * call handed to the same (warm) worker next.
	 */
	@Test
	void aCancelsInterruptNeverReachesTheCallHandedNext() throws Exception {
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(1).queueCapacity(8));
		int rounds = 4_000;
		int interrupted = 0;
		int cancelledSeen = 0;
		for (int i = 0; i < rounds; i++) {
			long body = ThreadLocalRandom.current().nextLong(0, 20_000);
			CompletableFuture<Integer> first = offloader.future(() -> {
				spin(body);
				return 1;
			});
			spin(ThreadLocalRandom.current().nextLong(0, 25_000));
			if (first.cancel(true)) {
				cancelledSeen++;
			}
			if (offloader.future(() -> Thread.currentThread().isInterrupted()).get(5, TimeUnit.SECONDS)) {
				interrupted++;
			}
		}
		assertThat(interrupted).as("calls that started interrupted, of " + rounds).isZero();
		assertSettled(offloader);
		OffloadStats stats = offloader.stats();
		assertThat(stats.completed() + stats.cancelled() + stats.failed()).isEqualTo(2L * rounds);
		assertThat(cancelledSeen).isPositive();
	}

	/**
	 * A caller's cancel racing the delivery of a held outcome: what the pool counts as
	 * cancelled equals what the callers saw cancelled.
	 */
	@Test
	void cancelledCountEqualsWhatCallersSawWhenCancelsRaceTheHeldOutcome() throws Exception {
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(1).queueCapacity(8));
		int rounds = 4_000;
		int sawCancelled = 0;
		for (int i = 0; i < rounds; i++) {
			long body = ThreadLocalRandom.current().nextLong(0, 10_000);
			CompletableFuture<Integer> call = offloader.future(() -> {
				spin(body);
				return 1;
			});
			spin(ThreadLocalRandom.current().nextLong(0, 15_000));
			call.cancel(true);
			try {
				call.get(5, TimeUnit.SECONDS);
			}
			catch (CancellationException ex) {
				sawCancelled++;
			}
		}
		assertSettled(offloader);
		OffloadStats stats = offloader.stats();
		assertThat(stats.completed() + stats.cancelled()).isEqualTo(rounds);
		assertThat(stats.cancelled()).as("cancelled counted; completed counted " + stats.completed())
			.isEqualTo(sawCancelled);
	}

	/**
	 * {@code runIfQueued} racing a cancel: a worker waits for a call of its own full pool
	 * made by another thread (so queued), runs it inline, while a third thread cancels
	 * it. Nothing is lost, the counts are exact, and the cancel's interrupt does not
	 * outlive the inline call into the waiting body.
	 */
	@Test
	void runIfQueuedRacingACancelLosesNothingAndLeaksNoInterrupt() throws Exception {
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(1).queueCapacity(4));
		int rounds = 2_000;
		int leaked = 0;
		for (int i = 0; i < rounds; i++) {
			long delay = ThreadLocalRandom.current().nextLong(0, 20_000);
			CompletableFuture<Boolean> outer = offloader.future(() -> {
				CompletableFuture<Integer> inner = CompletableFuture.supplyAsync(() -> offloader.future(() -> {
					spin(10_000);
					return 1;
				}), this.threads).get();
				CompletableFuture.runAsync(() -> {
					spin(delay);
					inner.cancel(true);
				}, this.threads);
				try {
					inner.get(5, TimeUnit.SECONDS);
				}
				catch (CancellationException ex) {
					// expected at times
				}
				return Thread.currentThread().isInterrupted();
			});
			if (outer.get(10, TimeUnit.SECONDS)) {
				leaked++;
			}
		}
		assertThat(leaked).as("outer bodies left interrupted, of " + rounds).isZero();
		assertSettled(offloader);
		OffloadStats stats = offloader.stats();
		assertThat(stats.completed() + stats.cancelled()).isEqualTo(2L * rounds);
		assertThat(stats.failed()).isZero();
	}

	/**
	 * {@code runIfQueued} racing a normal dispatch: the queued call is taken by exactly
	 * one of the waiting worker and a worker freeing a slot, never both or neither.
	 */
	@Test
	void runIfQueuedRacingADispatchRunsTheCallOnce() throws Exception {
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(2).queueCapacity(8));
		int rounds = 2_000;
		AtomicInteger runs = new AtomicInteger();
		for (int i = 0; i < rounds; i++) {
			CountDownLatch innerMade = new CountDownLatch(1);
			long other = ThreadLocalRandom.current().nextLong(0, 20_000);
			CompletableFuture<Integer> busy = offloader.future(() -> {
				innerMade.await();
				spin(other);
				return 0;
			});
			CompletableFuture<Integer> outer = offloader.future(() -> {
				CompletableFuture<Integer> inner = CompletableFuture.supplyAsync(() -> offloader.future(() -> {
					runs.incrementAndGet();
					return 1;
				}), this.threads).get();
				innerMade.countDown();
				return inner.get(5, TimeUnit.SECONDS);
			});
			assertThat(outer.get(10, TimeUnit.SECONDS)).isEqualTo(1);
			busy.get(5, TimeUnit.SECONDS);
		}
		assertThat(runs.get()).isEqualTo(rounds);
		assertSettled(offloader);
		assertThat(offloader.stats().completed()).isEqualTo(3L * rounds);
	}

	// --- 4. The caller's brief wait
	// -------------------------------------------------------

	@Test
	void aCallerWaitingWhileInterruptedIsNotHeldAndLeavesNoSpinnerBehind() throws Exception {
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(2).queueCapacity(8));
		for (int i = 0; i < 200; i++) {
			offloader.future(() -> 1).get();
		}
		CountDownLatch never = new CountDownLatch(1);
		for (int i = 0; i < 200; i++) {
			CompletableFuture<Integer> blocked = offloader.future(() -> {
				never.await();
				return 1;
			});
			Thread.currentThread().interrupt();
			assertThatExceptionOfType(InterruptedException.class).isThrownBy(blocked::get);
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
			Thread.currentThread().interrupt();
			assertThat(offloader.future(() -> 2).join()).isEqualTo(2);
			assertThat(Thread.interrupted()).as("join keeps the interrupt").isTrue();
			blocked.cancel(true);
		}
		Field spinning = OffloadPool.class.getDeclaredField("spinningCallers");
		spinning.setAccessible(true);
		assertThat(((AtomicInteger) spinning.get(null)).get()).as("callers counted as spinning").isZero();
		assertSettled(offloader);
	}

	// --- 5. Lifecycle while warm or holding an outcome
	// ----------------------------------

	@Test
	void pauseWhileAWorkerIsWarmHoldsTheNextCallUntilResume() throws Exception {
		Offloader offloader = pool((spec) -> spec.threads(platform()).maxConcurrency(1).queueCapacity(0));
		for (int i = 0; i < 500; i++) {
			assertThat(offloader.future(() -> 1).get(5, TimeUnit.SECONDS)).isEqualTo(1);
			offloader.pause();
			AtomicInteger ran = new AtomicInteger();
			CompletableFuture<Integer> held = offloader.future(() -> ran.incrementAndGet());
			spin(ThreadLocalRandom.current().nextLong(0, 60_000));
			assertThat(ran.get()).as("a call made while paused ran").isZero();
			assertThat(offloader.awaitQuiescence(Duration.ofSeconds(5))).isZero();
			assertThat(offloader.resume()).isEqualTo(1);
			assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo(1);
		}
		assertSettled(offloader);
		assertThat(offloader.stats().completed()).isEqualTo(1_000);
	}

	/**
	 * Shut down right after a call, while its worker is warm or still delivering (a
	 * continuation running): the caller gets its result, the report matches, and no pool
	 * thread is left running once the shutdown returns.
	 */
	@Test
	void shutdownWhileAWorkerIsWarmOrDeliveringLeavesNoThread() throws Exception {
		for (int i = 0; i < 60; i++) {
			String name = "adv" + i;
			Offloader offloader = Offloader.builder()
				.pool(name, (spec) -> spec.threads(platform()).maxConcurrency(2).queueCapacity(2))
				.build()
				.pool(name);
			CountDownLatch go = new CountDownLatch(1);
			CompletableFuture<Integer> first = offloader.future(() -> {
				go.await();
				return 1;
			});
			long hold = (i % 3 == 0) ? 20_000_000 : ThreadLocalRandom.current().nextLong(0, 60_000);
			CompletableFuture<Integer> chained = first.thenApply((x) -> {
				spin(hold);
				return x + 1;
			});
			go.countDown();
			if (i % 2 == 0) {
				first.get(5, TimeUnit.SECONDS);
			}
			var report = offloader.finishShutdown(Duration.ofSeconds(2));
			assertThat(chained.get(5, TimeUnit.SECONDS)).isEqualTo(2);
			assertThat(report.cancelled()).isZero();
			assertThat(Thread.getAllStackTraces().keySet())
				.noneMatch((thread) -> thread.getName().startsWith("bridge-offload-" + name + "-") && thread.isAlive());
		}
	}

	// --- 6. Virtual pools
	// ---------------------------------------------------------------

	@Test
	void aVirtualPoolNeverRunsTwoCallsOnOneThread() throws Exception {
		assumeThat(VirtualThreads.AVAILABLE).as("virtual threads").isTrue();
		Offloader offloader = pool((spec) -> spec.threads(ThreadMode.VIRTUAL).maxConcurrency(2).queueCapacity(64));
		Set<Thread> seen = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
		AtomicInteger calls = new AtomicInteger();
		CompletableFuture<?>[] callers = new CompletableFuture<?>[4];
		for (int c = 0; c < callers.length; c++) {
			callers[c] = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 1_000; i++) {
					within(offloader.future(() -> {
						calls.incrementAndGet();
						return seen.add(Thread.currentThread());
					}), 5_000);
				}
			}, this.threads);
		}
		CompletableFuture.allOf(callers).get(30, TimeUnit.SECONDS);
		assertThat(seen).hasSize(calls.get());
		assertSettled(offloader);
	}

	static final class UserAccessor implements ThreadLocalAccessor<String> {

		@Override
		public Object key() {
			return "test.user";
		}

		@Override
		public String getValue() {
			return USER.get();
		}

		@Override
		public void setValue(String value) {
			USER.set(value);
		}

		@Override
		public void setValue() {
			USER.remove();
		}

	}

	@Test
	void anObserverThatThrowsAtTheEndOfACallCostsNeitherTheOutcomeNorTheSlot() throws Exception {
		this.offloader = Offloader.builder()
			.defaultPool((spec) -> spec.threads(platform()).maxConcurrency(1).queueCapacity(0))
			.callObserver(new Offloader.CallObserver() {
				@Override
				public Object submitted(String pool, String task) {
					return null;
				}

				@Override
				public AutoCloseable started(Object state, long queueWaitNanos) {
					return null;
				}

				@Override
				public void finished(Object state, String outcome, long ranNanos, Throwable error) {
					throw new IllegalStateException("observer failure");
				}
			})
			.build();
		for (int i = 0; i < 100; i++) {
			assertThat(this.offloader.future(() -> 1).get(5, TimeUnit.SECONDS)).isEqualTo(1);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.offloader.stats().active() == 0);
		assertThat(this.offloader.stats().completed()).isEqualTo(100);
	}

}
