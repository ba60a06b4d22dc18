/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.lifecycle.ShutdownReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on {@link LoopGate}'s guarantees: two threads spinning on a start flag so that
 * they collide within nanoseconds, with the delay of one of them swept across the other's
 * steps, over thousands of rounds; the racing tests count the rounds that broke their
 * guarantee and expect none. No sleeps: threads meet on spinning flags or on a waiter
 * seen parked.
 */
@Timeout(120)
class LoopGateAdversaryTests {

	private final Partner partner = new Partner();

	@AfterEach
	void stopPartner() throws InterruptedException {
		this.partner.close();
	}

	/**
	 * Guarantee 3 (and 2): a unit that ends while it is being admitted to a paused gate
	 * is never left held, so {@code size()}, {@code held()} and the count at shutdown
	 * drop it at once, without waiting for a resume to find it ended.
	 */
	@Test
	void anEndRacingAPausedAdmissionLeavesNothingHeld() {
		int rounds = 20_000;
		int broken = 0;
		for (int round = 0; round < rounds; round++) {
			LoopGate gate = new LoopGate();
			gate.pause();
			Unit unit = new Unit("raced");
			int turn = collide(round, () -> gate.remove(unit));
			gate.admit(unit, unit::dispatch);
			this.partner.await(turn);
			gate.stopAccepting();
			if (gate.held() != 0 || gate.size() != 0 || gate.inFlightAtShutdown() != 0) {
				broken++;
			}
			assertThat(gate.takeHeld()).isEmpty();
			assertThat(unit.dispatched).hasValue(0);
		}
		assertThat(broken).as("rounds of %d leaving an ended unit held", rounds).isZero();
	}

	/**
	 * Guarantee 4: {@code awaitDrained} never misses the last end when the two race,
	 * whatever the phase (paused, resumed, shut down): a missed wake-up would wait out
	 * the deadline.
	 */
	@Test
	void awaitDrainedNeverMissesTheLastEndRacingItsStart() {
		int rounds = 5_000;
		for (int round = 0; round < rounds; round++) {
			LoopGate gate = new LoopGate();
			Unit unit = new Unit("last");
			gate.admit(unit, unit::dispatch);
			switch (round % 3) {
				case 0 -> gate.pause();
				case 1 -> {
					gate.pause();
					gate.resume();
				}
				default -> gate.stopAccepting();
			}
			int turn = collide(round, () -> gate.remove(unit));
			long start = System.nanoTime();
			List<TrackedWork> left = gate.awaitDrained(start + TimeUnit.SECONDS.toNanos(2));
			Duration waited = Duration.ofNanos(System.nanoTime() - start);
			this.partner.await(turn);
			assertThat(waited).as("round %d (phase %s): wait for the last end", round, gate.phase())
				.isLessThan(Duration.ofSeconds(1));
			assertThat(left).as("round %d", round).allMatch((work) -> work == unit);
		}
	}

	/**
	 * Guarantee 4 through the public API: {@code awaitQuiescence} after {@code pause()}
	 * returns once the work in flight at the pause has finished, a {@code resume()}
	 * meanwhile or not.
	 */
	@Test
	void awaitQuiescenceReturnsWhenTheWorkInFlightEndsThoughAResumeCameFirst() throws Exception {
		try (LoopRunner loop = LoopRunner.builder().build()) {
			Sinks.One<String> release = Sinks.one();
			CompletableFuture<String> inFlight = loop.submit(release.asMono());
			loop.pause();
			Waiter<Integer> waiter = Waiter.start(() -> loop.awaitQuiescence(Duration.ofSeconds(10)));
			waiter.awaitWaiting();
			loop.resume();
			release.tryEmitValue("done");
			assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("done");
			assertThat(waiter.result.get(5, TimeUnit.SECONDS)).isZero();
		}
	}

	/**
	 * Guarantees 1 and 4: what a resume moved to in flight is, at any moment, either
	 * returned by {@code awaitDrained} to the shutdown that began right after it, or
	 * ended: the shutdown can cancel every unit it counted.
	 */
	@Test
	void aShutdownRightAfterAResumeIsHandedEveryUnitTheResumeMoved() {
		int rounds = 200;
		int units = 1_000;
		int broken = 0;
		int worst = units;
		for (int round = 0; round < rounds; round++) {
			LoopGate gate = new LoopGate();
			gate.pause();
			List<Unit> held = new ArrayList<>();
			for (int i = 0; i < units; i++) {
				Unit unit = new Unit("u" + i);
				held.add(unit);
				gate.admit(unit, unit::dispatch);
			}
			int turn = this.partner.go(gate::resume, 0);
			while (gate.phase() != LoopGate.Phase.RUNNING) {
				Thread.onSpinWait();
			}
			gate.stopAccepting();
			List<TrackedWork> handed = gate.takeHeld();
			handed.addAll(gate.awaitDrained(System.nanoTime()));
			this.partner.await(turn);
			assertThat(gate.inFlightAtShutdown()).isEqualTo(units);
			if (handed.size() != units) {
				broken++;
				worst = Math.min(worst, handed.size());
			}
		}
		assertThat(broken)
			.as("rounds of %d handing the shutdown fewer than the %d units in flight (as few as %d)", rounds, units,
					worst)
			.isZero();
	}

	/**
	 * Guarantees 1 and 2 at the gate: a unit whose admission races
	 * {@code stopAccepting()} is either refused, or counted at shutdown and returned by
	 * {@code awaitDrained}.
	 */
	@Test
	void aShutdownRacingAnAdmissionIsHandedTheUnitItCounted() {
		int rounds = 50_000;
		int broken = 0;
		for (int round = 0; round < rounds; round++) {
			LoopGate gate = new LoopGate();
			Unit unit = new Unit("raced");
			AtomicReference<LoopGate.Admission> admission = new AtomicReference<>();
			int turn = collide(round, () -> admission.set(gate.admit(unit, unit::dispatch)));
			gate.stopAccepting();
			gate.takeHeld();
			List<TrackedWork> left = gate.awaitDrained(System.nanoTime());
			this.partner.await(turn);
			if (gate.inFlightAtShutdown() != left.size()) {
				broken++;
			}
			assertThat(gate.inFlightAtShutdown()).isEqualTo((admission.get() == LoopGate.Admission.DISPATCH) ? 1 : 0);
		}
		assertThat(broken).as("rounds of %d where the unit counted at shutdown was not handed to it", rounds).isZero();
	}

	/**
	 * Guarantee 3: held units ending while the shutdown takes the held work are handed to
	 * it at most once, never dispatched, and none stays tracked.
	 */
	@Test
	void heldUnitsEndingWhileTheShutdownTakesThemAreTakenOrDroppedOnce() {
		int rounds = 2_000;
		for (int round = 0; round < rounds; round++) {
			LoopGate gate = new LoopGate();
			gate.pause();
			List<Unit> held = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				Unit unit = new Unit("u" + i);
				held.add(unit);
				gate.admit(unit, unit::dispatch);
			}
			int turn = collide(round, () -> {
				for (int i = held.size() - 1; i >= 0; i--) {
					held.get(i).ended = true;
					gate.remove(held.get(i));
				}
			});
			gate.stopAccepting();
			List<TrackedWork> taken = gate.takeHeld();
			this.partner.await(turn);
			for (TrackedWork unit : taken) {
				assertThat(taken.indexOf(unit)).isEqualTo(taken.lastIndexOf(unit));
			}
			assertThat(gate.size()).as("round %d", round).isZero();
			assertThat(gate.held()).isZero();
			assertThat(gate.awaitDrained(System.nanoTime())).isEmpty();
			assertThat(held).allSatisfy((unit) -> assertThat(unit.dispatched).hasValue(0));
		}
	}

	/**
	 * Guarantees 1, 3 and 5: with admissions racing pauses, resumes and ends (held or
	 * dispatched units), no unit is dispatched twice, every unit that did not end is
	 * dispatched once and still counted, and held units are dispatched in the order they
	 * were admitted.
	 */
	@Test
	void admissionsEndsPausesAndResumesDispatchEachLiveUnitOnceInOrder() {
		int rounds = 300;
		for (int round = 0; round < rounds; round++) {
			LoopGate gate = new LoopGate();
			List<Unit> admitted = new ArrayList<>();
			List<LoopGate.Admission> admissions = new ArrayList<>();
			AtomicInteger dispatchOrder = new AtomicInteger();
			int count = 400;
			int turn = this.partner.go(() -> {
				for (int i = 0; i < count; i++) {
					Unit unit = new Unit("u" + i);
					unit.order = dispatchOrder;
					admitted.add(unit);
					admissions.add(gate.admit(unit, unit::dispatch));
					if (admissions.get(i) == LoopGate.Admission.DISPATCH) {
						unit.dispatch();
					}
					if (i % 3 == 0 && i > 0) {
						// Ends an older unit, held or dispatched, as a timeout would.
						Unit older = admitted.get(i - 1 - (i % 7) % i);
						older.ended = true;
						gate.remove(older);
					}
				}
			}, 0);
			while (!this.partner.done(turn)) {
				gate.pause();
				for (int spin = 0; spin < (round % 50); spin++) {
					Thread.onSpinWait();
				}
				gate.resume();
			}
			this.partner.await(turn);
			gate.resume();
			int live = 0;
			for (int i = 0; i < count; i++) {
				Unit unit = admitted.get(i);
				assertThat(unit.dispatched.get()).as("round %d unit %d dispatches", round, i).isLessThanOrEqualTo(1);
				if (!unit.ended) {
					assertThat(unit.dispatched).as("round %d live unit %d", round, i).hasValue(1);
					live++;
				}
			}
			assertThat(gate.size()).as("round %d", round).isEqualTo(live);
			assertThat(gate.held()).isZero();
			// Each unit recorded when it was dispatched: later admissions dispatch later,
			// except that work admitted while running may overtake work a resume is still
			// dispatching, so only held units are compared with each other.
			int last = -1;
			for (int i = 0; i < count; i++) {
				Unit unit = admitted.get(i);
				if (admissions.get(i) == LoopGate.Admission.HELD && unit.dispatchedAt >= 0) {
					assertThat(unit.dispatchedAt).as("round %d unit %d dispatched out of order", round, i)
						.isGreaterThan(last);
					last = unit.dispatchedAt;
				}
			}
		}
	}

	/**
	 * Guarantees 1 and 2 through the public API, and the report: a zero-budget shutdown
	 * right after a resume of many held calls counts as drained only calls that finished,
	 * and as cancelled those cancelled by the shutdown; none is refused after having been
	 * accepted.
	 */
	@Test
	void aShutdownRightAfterAResumeReportsWhatReallyHappenedToEachHeldCall() throws Exception {
		int rounds = 40;
		int calls = 5_000;
		int broken = 0;
		String detail = "";
		for (int round = 0; round < rounds; round++) {
			LoopRunner loop = LoopRunner.builder().build();
			loop.pause();
			List<CompletableFuture<Integer>> futures = new ArrayList<>();
			for (int i = 0; i < calls; i++) {
				futures.add(loop.submit(Mono.just(i)));
			}
			int turn = this.partner.go(loop::resume, 0);
			while (loop.stats().held() != 0) {
				Thread.onSpinWait();
			}
			ShutdownReport report = loop.finishShutdown(Duration.ZERO);
			this.partner.await(turn);
			int succeeded = 0;
			int cancelledByShutdown = 0;
			int other = 0;
			for (CompletableFuture<Integer> future : futures) {
				Throwable failure = future.handle((value, ex) -> ex).get(10, TimeUnit.SECONDS);
				if (failure == null) {
					succeeded++;
				}
				else if (failure instanceof CancelledByShutdownException) {
					cancelledByShutdown++;
				}
				else {
					other++;
				}
			}
			assertThat(succeeded + cancelledByShutdown + other).isEqualTo(calls);
			assertThat(loop.stats().inFlight()).isZero();
			// Work that finished before the shutdown began is not counted at all: drained
			// is at most what succeeded.
			if (report.cancelled() != cancelledByShutdown || report.drained() > succeeded || other != 0) {
				broken++;
				detail = report.summary() + "; succeeded " + succeeded + ", cancelled by the shutdown "
						+ cancelledByShutdown + ", refused after acceptance " + other;
			}
		}
		assertThat(broken).as("rounds of %d whose report did not match the outcomes, last: %s", rounds, detail)
			.isZero();
	}

	/**
	 * Guarantee 1 through the public API: callers racing pauses, resumes and the start of
	 * a shutdown each get one outcome (a result, a refusal, or the shutdown's cancel),
	 * the stats return to nothing in flight or held, and the report counts the cancels.
	 */
	@Test
	void callersRacingPausesResumesAndAShutdownEachGetOneOutcome() throws Exception {
		for (int round = 0; round < 30; round++) {
			LoopRunner loop = LoopRunner.builder().build();
			AtomicInteger accepted = new AtomicInteger();
			AtomicInteger refused = new AtomicInteger();
			List<CompletableFuture<Integer>> futures = new ArrayList<>();
			int turn = this.partner.go(() -> {
				for (int i = 0; i < 2_000; i++) {
					try {
						futures.add(loop.submit(Mono.just(1)));
						accepted.incrementAndGet();
					}
					catch (RuntimeException ex) {
						refused.incrementAndGet();
					}
				}
			}, 0);
			for (int i = 0; i < 20 + round * 10; i++) {
				loop.pause();
				loop.resume();
			}
			loop.pause();
			loop.beginShutdown();
			loop.resume();
			ShutdownReport report = loop.finishShutdown(Duration.ofMillis(round % 3));
			this.partner.await(turn);
			int succeeded = 0;
			int cancelled = 0;
			for (CompletableFuture<Integer> future : futures) {
				Throwable failure = future.handle((value, ex) -> ex).get(10, TimeUnit.SECONDS);
				if (failure == null) {
					succeeded++;
				}
				else {
					assertThat(failure).isInstanceOf(CancelledByShutdownException.class);
					cancelled++;
				}
			}
			assertThat(accepted.get() + refused.get()).isEqualTo(2_000);
			// A submit admitted before the shutdown but handed to the loop only after it
			// stopped throws the refusal, though the shutdown cancelled (and counted) its
			// work: so the report may count more cancelled than the futures show, by at
			// most the submits that threw.
			assertThat(report.cancelled()).as("round %d", round).isBetween(cancelled, cancelled + refused.get());
			assertThat(succeeded + cancelled).isEqualTo(accepted.get());
			assertThat(loop.stats().inFlight()).isZero();
			assertThat(loop.stats().held()).isZero();
		}
	}

	/**
	 * Starts {@code task} on the partner for a collision in round {@code round}: the
	 * partner waits from 0 to 63 spins, or the caller as long before its own step.
	 */
	private int collide(int round, Runnable task) {
		int sweep = round % 128;
		int turn = this.partner.go(task, (sweep < 64) ? sweep : 0);
		for (int i = 64; i < sweep; i++) {
			Thread.onSpinWait();
		}
		return turn;
	}

	/** A unit of work that records its dispatches and when it was dispatched. */
	private static final class Unit extends TrackedWork {

		final AtomicInteger dispatched = new AtomicInteger();

		volatile boolean ended;

		volatile int dispatchedAt = -1;

		AtomicInteger order = new AtomicInteger();

		Unit(String name) {
			super(name);
		}

		void dispatch() {
			this.dispatched.incrementAndGet();
			this.dispatchedAt = this.order.getAndIncrement();
		}

		@Override
		boolean cancel(Throwable reason) {
			return false;
		}

	}

	/**
	 * A thread that spins until it is given a task, waits a number of spins, runs it, and
	 * spins for the next: so the task starts within nanoseconds of {@link #go}.
	 */
	private static final class Partner implements AutoCloseable {

		private final AtomicInteger started = new AtomicInteger();

		private final AtomicInteger finished = new AtomicInteger();

		private final Thread thread = new Thread(this::serve, "gate-adversary");

		private volatile Runnable task = () -> {
		};

		private volatile int delay;

		private volatile boolean closed;

		private volatile Throwable failure;

		Partner() {
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void serve() {
			for (int turn = 1;; turn++) {
				while (this.started.get() < turn) {
					if (this.closed) {
						return;
					}
					Thread.onSpinWait();
				}
				for (int i = 0; i < this.delay; i++) {
					Thread.onSpinWait();
				}
				try {
					this.task.run();
				}
				catch (Throwable ex) {
					this.failure = ex;
				}
				this.finished.set(turn);
			}
		}

		int go(Runnable next, int spins) {
			this.task = next;
			this.delay = spins;
			return this.started.incrementAndGet();
		}

		boolean done(int turn) {
			return this.finished.get() >= turn;
		}

		void await(int turn) {
			while (!done(turn)) {
				Thread.onSpinWait();
			}
			Throwable thrown = this.failure;
			if (thrown != null) {
				throw new AssertionError("the partner's task failed", thrown);
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.closed = true;
			this.thread.join(5_000);
		}

	}

	/** A thread blocked in a timed wait. */
	private static final class Waiter<T> {

		final CompletableFuture<T> result = new CompletableFuture<>();

		private final Thread thread;

		private Waiter(Supplier<T> wait) {
			this.thread = new Thread(() -> this.result.complete(wait.get()), "gate-waiter");
			this.thread.setDaemon(true);
		}

		static <T> Waiter<T> start(Supplier<T> wait) {
			Waiter<T> waiter = new Waiter<>(wait);
			waiter.thread.start();
			return waiter;
		}

		/** Returns once the waiter is parked in its timed wait. */
		void awaitWaiting() {
			while (this.thread.getState() != Thread.State.TIMED_WAITING && !this.result.isDone()) {
				Thread.onSpinWait();
			}
		}

	}

}
