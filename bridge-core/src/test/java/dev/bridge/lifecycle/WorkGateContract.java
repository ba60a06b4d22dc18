/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the loop runner's gate and an offload pool's gate both promise: new work is
 * dispatched while running, held while paused and refused once shut down, exactly once
 * each, with exact counts, even when admissions, ends, pauses, resumes and the shutdown
 * race. The two gates live in different packages, package-private; each test class adapts
 * its gate to these hooks.
 *
 * @param <G> the gate
 * @param <W> a unit of work
 */
@Timeout(30)
public abstract class WorkGateContract<G, W> {

	/** What {@link #admit} reports: the name of the gate's admission. */
	protected static final String DISPATCH = "DISPATCH";

	protected static final String HELD = "HELD";

	protected static final String REFUSED = "REFUSED";

	private final G gate = newGate();

	protected abstract G newGate();

	protected abstract W unit(String name);

	/** Admits {@code unit}; returns the name of the admission. */
	protected abstract String admit(G gate, W unit, Runnable dispatch);

	protected abstract void remove(G gate, W unit);

	protected abstract boolean pause(G gate);

	protected abstract int resume(G gate);

	protected abstract void stopAccepting(G gate);

	protected abstract List<W> takeHeld(G gate);

	protected abstract List<W> awaitDrained(G gate, long deadline);

	protected abstract int size(G gate);

	protected abstract int held(G gate);

	protected abstract int inFlightAtShutdown(G gate);

	/** The name of the gate's phase: RUNNING, PAUSED or SHUT_DOWN. */
	protected abstract String phase(G gate);

	@Test
	void afterStopAcceptingAdmissionsAreRefusedAndTheCountAtShutdownIsKept() {
		assertThat(add(this.gate, unit("a"))).isTrue();
		assertThat(add(this.gate, unit("b"))).isTrue();
		stopAccepting(this.gate);
		stopAccepting(this.gate);
		assertThat(add(this.gate, unit("c"))).isFalse();
		assertThat(phase(this.gate)).isEqualTo("SHUT_DOWN");
		assertThat(size(this.gate)).isEqualTo(2);
		assertThat(inFlightAtShutdown(this.gate)).isEqualTo(2);
	}

	@Test
	void awaitDrainedReturnsAsSoonAsTheLastWorkFinishes() throws Exception {
		W a = unit("a");
		add(this.gate, a);
		stopAccepting(this.gate);
		CompletableFuture<Integer> left = CompletableFuture
			.supplyAsync(() -> awaitDrained(this.gate, System.nanoTime() + TimeUnit.SECONDS.toNanos(30)).size());
		remove(this.gate, a);
		assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
		remove(this.gate, a);
		assertThat(size(this.gate)).isZero();
	}

	@Test
	void awaitDrainedReturnsWhatIsLeftAtTheDeadline() {
		W stuck = unit("stuck");
		add(this.gate, stuck);
		stopAccepting(this.gate);
		assertThat(awaitDrained(this.gate, System.nanoTime() + Duration.ofMillis(20).toNanos())).containsExactly(stuck);
	}

	@Test
	void aStopRacingWithAdmissionsCountsExactlyTheAcceptedWork() throws Exception {
		for (int round = 0; round < 200; round++) {
			G racing = newGate();
			AtomicInteger accepted = new AtomicInteger();
			CountDownLatch go = new CountDownLatch(1);
			List<Thread> adders = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				Thread adder = new Thread(() -> {
					try {
						go.await();
					}
					catch (InterruptedException ex) {
						return;
					}
					while (add(racing, unit("u"))) {
						accepted.incrementAndGet();
					}
				});
				adder.start();
				adders.add(adder);
			}
			go.countDown();
			stopAccepting(racing);
			for (Thread adder : adders) {
				adder.join();
			}
			assertThat(inFlightAtShutdown(racing)).as("round %d", round).isEqualTo(accepted.get());
			assertThat(size(racing)).isEqualTo(accepted.get());
			assertThat(awaitDrained(racing, System.nanoTime())).hasSize(accepted.get());
		}
	}

	@Test
	void workAdmittedWhilePausedIsHeldAndDispatchedInOrderOnResume() {
		List<String> dispatched = new ArrayList<>();
		assertThat(add(this.gate, unit("before"))).isTrue();
		assertThat(pause(this.gate)).isTrue();
		assertThat(pause(this.gate)).isFalse();
		assertThat(admit(this.gate, unit("one"), () -> dispatched.add("one"))).isEqualTo(HELD);
		assertThat(admit(this.gate, unit("two"), () -> dispatched.add("two"))).isEqualTo(HELD);
		assertThat(dispatched).isEmpty();
		assertThat(size(this.gate)).isEqualTo(3);
		assertThat(held(this.gate)).isEqualTo(2);
		assertThat(resume(this.gate)).isEqualTo(2);
		assertThat(dispatched).containsExactly("one", "two");
		assertThat(held(this.gate)).isZero();
		assertThat(phase(this.gate)).isEqualTo("RUNNING");
		assertThat(resume(this.gate)).isZero();
		assertThat(add(this.gate, unit("after"))).isTrue();
		assertThat(size(this.gate)).isEqualTo(4);
	}

	@Test
	void pausingWaitsForDispatchedWorkButNotForHeldWork() throws Exception {
		W running = unit("running");
		add(this.gate, running);
		pause(this.gate);
		admit(this.gate, unit("held"), () -> {
		});
		CompletableFuture<List<W>> left = CompletableFuture
			.supplyAsync(() -> awaitDrained(this.gate, System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
		remove(this.gate, running);
		assertThat(left.get(5, TimeUnit.SECONDS)).isEmpty();
		assertThat(held(this.gate)).isOne();
	}

	@Test
	void awaitDrainedIsWokenByTheLastEndAfterAResume() throws Exception {
		// A stop that waits for quiescence, racing a start: the last end comes after the
		// resume, and must still wake the waiter rather than let it wait out its budget.
		W running = unit("running");
		add(this.gate, running);
		pause(this.gate);
		CompletableFuture<List<W>> left = new CompletableFuture<>();
		Thread waiter = new Thread(
				() -> left.complete(awaitDrained(this.gate, System.nanoTime() + TimeUnit.SECONDS.toNanos(20))));
		waiter.start();
		while (waiter.getState() != Thread.State.TIMED_WAITING) {
			Thread.onSpinWait();
		}
		resume(this.gate);
		remove(this.gate, running);
		assertThat(left.get(5, TimeUnit.SECONDS)).isEmpty();
	}

	@Test
	void heldWorkThatEndsBeforeResumeIsForgottenAndNotDispatched() {
		List<String> dispatched = new ArrayList<>();
		pause(this.gate);
		W timedOut = unit("timed out");
		admit(this.gate, timedOut, () -> dispatched.add("timed out"));
		remove(this.gate, timedOut);
		assertThat(size(this.gate)).isZero();
		assertThat(resume(this.gate)).isZero();
		assertThat(dispatched).isEmpty();
		assertThat(size(this.gate)).isZero();
	}

	@Test
	void aShutdownWhilePausedCountsTheHeldWorkAndHandsItOverToCancel() {
		add(this.gate, unit("running"));
		pause(this.gate);
		W held = unit("held");
		admit(this.gate, held, () -> {
		});
		stopAccepting(this.gate);
		assertThat(inFlightAtShutdown(this.gate)).isEqualTo(2);
		assertThat(takeHeld(this.gate)).containsExactly(held);
		assertThat(takeHeld(this.gate)).isEmpty();
		assertThat(resume(this.gate)).as("no resume after shutdown").isZero();
		assertThat(admit(this.gate, unit("late"), () -> {
		})).isEqualTo(REFUSED);
	}

	@Test
	void heldWorkEndingWhileAResumeReleasesItIsNeverLeftTrackedNorDispatchedTwice() throws Exception {
		// A held call's timeout (remove) racing with resume (moving it to in flight): a
		// unit must end up either dispatched and tracked until its remove, or ended and
		// forgotten.
		for (int round = 0; round < 2_000; round++) {
			G racing = newGate();
			pause(racing);
			List<W> units = new ArrayList<>();
			AtomicInteger dispatched = new AtomicInteger();
			for (int i = 0; i < 64; i++) {
				W unit = unit("u" + i);
				units.add(unit);
				admit(racing, unit, dispatched::incrementAndGet);
			}
			CountDownLatch go = new CountDownLatch(1);
			Thread remover = new Thread(() -> {
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int i = 63; i >= 0; i--) {
					remove(racing, units.get(i));
				}
			});
			remover.start();
			go.countDown();
			int started = resume(racing);
			remover.join();
			assertThat(started).as("round %d", round).isEqualTo(dispatched.get());
			assertThat(size(racing)).as("round %d", round).isZero();
			assertThat(awaitDrained(racing, System.nanoTime())).isEmpty();
		}
	}

	@Test
	void pausesAndResumesRacingWithAdmissionsLoseNothing() throws Exception {
		for (int round = 0; round < 100; round++) {
			G racing = newGate();
			AtomicInteger dispatched = new AtomicInteger();
			int perThread = 500;
			CountDownLatch go = new CountDownLatch(1);
			List<Thread> adders = new ArrayList<>();
			for (int t = 0; t < 3; t++) {
				Thread adder = new Thread(() -> {
					try {
						go.await();
					}
					catch (InterruptedException ex) {
						return;
					}
					for (int i = 0; i < perThread; i++) {
						if (admit(racing, unit("u"), dispatched::incrementAndGet).equals(DISPATCH)) {
							dispatched.incrementAndGet();
						}
					}
				});
				adder.start();
				adders.add(adder);
			}
			go.countDown();
			for (int i = 0; i < 50; i++) {
				pause(racing);
				resume(racing);
			}
			for (Thread adder : adders) {
				adder.join();
			}
			resume(racing);
			assertThat(dispatched.get()).as("round %d", round).isEqualTo(3 * perThread);
			assertThat(size(racing)).isEqualTo(3 * perThread);
			assertThat(held(racing)).isZero();
		}
	}

	/** Admits {@code unit} with nothing to dispatch; whether it was dispatched. */
	protected final boolean add(G gate, W unit) {
		return admit(gate, unit, () -> {
		}).equals(DISPATCH);
	}

}
