/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader.ThreadMode;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A caller's cancel racing the end of its call's body: each call has one outcome, and the
 * caller, the pool's stats and the call observer all see that one. The body and the
 * caller both spin on a shared flag, so the cancel lands within nanoseconds of the body's
 * return, and the caller waits a swept number of spins, so it lands before, at and after
 * it.
 */
@Timeout(30)
class OffloadCancelRaceTests {

	private static final int ROUNDS = 3_000;

	private final RecordingObserver observer = new RecordingObserver();

	private final Offloader offloader = Offloader.builder()
		.defaultPool((pool) -> pool.threads(ThreadMode.PLATFORM).maxConcurrency(2))
		.callObserver(this.observer)
		.pinningDetection(false)
		.build();

	@AfterEach
	void close() {
		this.offloader.finishShutdown(Duration.ofSeconds(1));
	}

	/**
	 * {@code future(..)}'s {@code cancel(true)} racing the body's return: the future is
	 * done when {@code cancel} returns, {@code cancel} returns whether it is cancelled,
	 * and the stats and the observer count that same outcome.
	 */
	@Test
	void aFutureCancelRacingTheCompletionGivesTheCallerTheStatsAndTheObserverTheSameOutcome() {
		assertSameOutcomes(ROUNDS, this::race);
	}

	/**
	 * The same race on a loop thread, where the call's outcome is handed back through the
	 * loop: the loop is busy cancelling, so a cancel that lost the race must not wait for
	 * that hand-off (it would wait for itself).
	 */
	@Test
	void aFutureCancelOnTheCallersLoopRacingTheCompletionGivesTheCallerTheStatsAndTheObserverTheSameOutcome() {
		LoopRunner runner = LoopRunner.create();
		try {
			assertSameOutcomes(ROUNDS / 3, (round) -> runner.call(() -> race(round)));
		}
		finally {
			runner.close();
		}
	}

	private void assertSameOutcomes(int rounds, IntFunction<Race> racing) {
		int notDone = 0;
		int wrongAnswer = 0;
		int mismatches = 0;
		for (int round = 0; round < rounds; round++) {
			OffloadStats before = this.offloader.stats();
			Race race = racing.apply(round);
			if (!race.done()) {
				notDone++;
			}
			if (race.done() && race.cancelled() != race.isCancelled()) {
				wrongAnswer++;
			}
			CompletableFuture<Integer> future = race.future();
			await().pollInSameThread()
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.until(future::isDone);
			String counted = awaitCounted(before);
			String observed = this.observer.awaitOutcome(round);
			if (future.isCancelled() ? !("cancelled".equals(counted) && "cancelled".equals(observed))
					: !("success".equals(counted) && "success".equals(observed) && future.join() == round)) {
				mismatches++;
			}
		}
		assertThat(new int[] { notDone, wrongAnswer, mismatches })
			.as("of %d rounds, those where the future was not done when cancel returned, where cancel's answer "
					+ "differed from isCancelled(), and where the caller's outcome differed from the stats' or "
					+ "the observer's", rounds)
			.containsExactly(0, 0, 0);
	}

	/**
	 * Starts a call whose body returns {@code round} as soon as this thread lets it, lets
	 * it, and cancels it a swept number of spins later.
	 */
	private Race race(int round) {
		AtomicBoolean started = new AtomicBoolean();
		AtomicBoolean go = new AtomicBoolean();
		CompletableFuture<Integer> future = this.offloader.future(() -> {
			started.set(true);
			while (!go.get()) {
				Thread.onSpinWait();
			}
			return round;
		});
		while (!started.get()) {
			Thread.onSpinWait();
		}
		go.set(true);
		spin(round % 64);
		boolean cancelled = future.cancel(true);
		return new Race(future, cancelled, future.isDone(), future.isCancelled());
	}

	/**
	 * A {@code mono(..)} subscriber disposing racing the body's return: a call the stats
	 * and the observer count as a success has its value received or, the subscriber gone,
	 * discarded (never lost to a cancellation of its future), and a call they count as
	 * cancelled delivered nothing.
	 */
	@Test
	void aMonoDisposeRacingTheCompletionGivesTheSubscriberTheStatsAndTheObserverTheSameOutcome() {
		for (int round = 0; round < ROUNDS; round++) {
			OffloadStats before = this.offloader.stats();
			AtomicBoolean started = new AtomicBoolean();
			AtomicBoolean go = new AtomicBoolean();
			AtomicReference<@Nullable Integer> received = new AtomicReference<>();
			AtomicReference<@Nullable Object> discarded = new AtomicReference<>();
			int value = round;
			Disposable subscription = this.offloader.mono(() -> {
				started.set(true);
				while (!go.get()) {
					Thread.onSpinWait();
				}
				return value;
			}).doOnDiscard(Integer.class, discarded::set).subscribeWith(new BaseSubscriber<Integer>() {
				// Unlike subscribe(Consumer), keeps a value that Reactor's own race
				// delivers just after the dispose, rather than dropping it.
				@Override
				protected void hookOnNext(Integer item) {
					received.set(item);
				}
			});
			while (!started.get()) {
				Thread.onSpinWait();
			}
			go.set(true);
			spin(round % 64);
			subscription.dispose();
			String counted = awaitCounted(before);
			String observed = this.observer.awaitOutcome(round);
			if ("success".equals(counted)) {
				// The value reaches the subscriber, or its discard hook, just after the
				// count.
				awaitOrGiveUp(() -> received.get() != null || discarded.get() != null);
			}
			Integer got = received.get();
			Object dropped = discarded.get();
			// A success's value reached the subscriber or, once it had gone, was
			// discarded; a cancelled call has no value to deliver or discard.
			boolean consistent = counted.equals(observed) && ("success".equals(counted)
					? (got != null && got == value && dropped == null)
							|| (got == null && dropped != null && dropped.equals(value))
					: got == null && dropped == null);
			assertThat(consistent)
				.as("round %d: the stats counted %s, the observer saw %s, the subscriber received %s and the "
						+ "discard hook got %s", round, counted, observed, got, dropped)
				.isTrue();
		}
	}

	/**
	 * Waits for the pool to count the round's one call; its outcome as the observer names
	 * them.
	 */
	private String awaitCounted(OffloadStats before) {
		AtomicReference<String> counted = new AtomicReference<>();
		await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
			OffloadStats after = this.offloader.stats();
			long completed = after.completed() - before.completed();
			long cancelled = after.cancelled() - before.cancelled();
			long failed = after.failed() - before.failed();
			if (completed + cancelled + failed == 0) {
				return false;
			}
			counted.set((completed + cancelled + failed != 1) ? "counted " + completed + "/" + cancelled + "/" + failed
					: (completed == 1) ? "success" : (cancelled == 1) ? "cancelled" : "error");
			return true;
		});
		return counted.get();
	}

	/** Waits up to a second for {@code condition}, and goes on either way. */
	private static void awaitOrGiveUp(Callable<Boolean> condition) {
		try {
			await().pollInSameThread()
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.atMost(Duration.ofSeconds(1))
				.until(condition);
		}
		catch (ConditionTimeoutException ex) {
			// The caller's check tells what is missing.
		}
	}

	private static void spin(int spins) {
		for (int spin = spins; spin > 0; spin--) {
			Thread.onSpinWait();
		}
	}

	/** What the caller saw of one race, right after its cancel returned. */
	private record Race(CompletableFuture<Integer> future, boolean cancelled, boolean done, boolean isCancelled) {
	}

	/** Records each call's end, by the order the calls were submitted in. */
	private static final class RecordingObserver implements Offloader.CallObserver {

		private final AtomicInteger submitted = new AtomicInteger();

		private final ConcurrentHashMap<Integer, String> outcomes = new ConcurrentHashMap<>();

		@Override
		public Object submitted(String pool, String task) {
			return this.submitted.getAndIncrement();
		}

		@Override
		public @Nullable AutoCloseable started(@Nullable Object state, long queueWaitNanos) {
			return null;
		}

		@Override
		public void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error) {
			this.outcomes.merge((Integer) state, outcome, (first, second) -> first + "+" + second);
		}

		String awaitOutcome(int call) {
			await().pollInSameThread()
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.until(() -> this.outcomes.containsKey(call));
			return this.outcomes.get(call);
		}

	}

}
