/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoopGate}: what it does with new work in each phase, and the races between
 * admissions, ends, pauses, resumes and shutdowns, each repeated until it would fail
 * without the guarantee it checks.
 */
class LoopGateTests {

	private final LoopGate gate = new LoopGate();

	@Test
	void afterStopAcceptingAdmissionsAreRefusedAndTheCountAtShutdownIsKept() {
		assertThat(add(this.gate, unit("a"))).isTrue();
		assertThat(add(this.gate, unit("b"))).isTrue();
		this.gate.stopAccepting();
		this.gate.stopAccepting();
		assertThat(add(this.gate, unit("c"))).isFalse();
		assertThat(this.gate.phase()).isEqualTo(LoopGate.Phase.SHUT_DOWN);
		assertThat(this.gate.size()).isEqualTo(2);
		assertThat(this.gate.inFlightAtShutdown()).isEqualTo(2);
	}

	@Test
	void awaitDrainedReturnsAsSoonAsTheLastWorkFinishes() throws Exception {
		Unit a = unit("a");
		add(this.gate, a);
		this.gate.stopAccepting();
		CompletableFuture<Integer> left = CompletableFuture
			.supplyAsync(() -> this.gate.awaitDrained(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)).size());
		this.gate.remove(a);
		assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
		this.gate.remove(a);
		assertThat(this.gate.size()).isZero();
	}

	@Test
	void awaitDrainedReturnsWhatIsLeftAtTheDeadline() {
		Unit stuck = unit("stuck");
		add(this.gate, stuck);
		this.gate.stopAccepting();
		assertThat(this.gate.awaitDrained(System.nanoTime() + Duration.ofMillis(20).toNanos())).containsExactly(stuck);
	}

	@Test
	void aStopRacingWithAdmissionsCountsExactlyTheAcceptedWork() throws Exception {
		for (int round = 0; round < 200; round++) {
			LoopGate racing = new LoopGate();
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
			racing.stopAccepting();
			for (Thread adder : adders) {
				adder.join();
			}
			assertThat(racing.inFlightAtShutdown()).as("round %d", round).isEqualTo(accepted.get());
			assertThat(racing.size()).isEqualTo(accepted.get());
			assertThat(racing.awaitDrained(System.nanoTime())).hasSize(accepted.get());
		}
	}

	@Test
	void workAdmittedWhilePausedIsHeldAndDispatchedInOrderOnResume() {
		List<String> dispatched = new ArrayList<>();
		assertThat(add(this.gate, unit("before"))).isTrue();
		assertThat(this.gate.pause()).isTrue();
		assertThat(this.gate.pause()).isFalse();
		assertThat(this.gate.admit(unit("one"), () -> dispatched.add("one"))).isEqualTo(LoopGate.Admission.HELD);
		assertThat(this.gate.admit(unit("two"), () -> dispatched.add("two"))).isEqualTo(LoopGate.Admission.HELD);
		assertThat(dispatched).isEmpty();
		assertThat(this.gate.size()).isEqualTo(3);
		assertThat(this.gate.held()).isEqualTo(2);
		assertThat(this.gate.resume()).isEqualTo(2);
		assertThat(dispatched).containsExactly("one", "two");
		assertThat(this.gate.held()).isZero();
		assertThat(this.gate.phase()).isEqualTo(LoopGate.Phase.RUNNING);
		assertThat(this.gate.resume()).isZero();
		assertThat(add(this.gate, unit("after"))).isTrue();
		assertThat(this.gate.size()).isEqualTo(4);
	}

	@Test
	void pausingWaitsForDispatchedWorkButNotForHeldWork() throws Exception {
		Unit running = unit("running");
		add(this.gate, running);
		this.gate.pause();
		this.gate.admit(unit("held"), () -> {
		});
		CompletableFuture<List<TrackedWork>> left = CompletableFuture
			.supplyAsync(() -> this.gate.awaitDrained(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
		this.gate.remove(running);
		assertThat(left.get(5, TimeUnit.SECONDS)).isEmpty();
		assertThat(this.gate.held()).isOne();
	}

	@Test
	void heldWorkThatEndsBeforeResumeIsForgottenAndNotDispatched() {
		List<String> dispatched = new ArrayList<>();
		this.gate.pause();
		Unit timedOut = unit("timed out");
		this.gate.admit(timedOut, () -> dispatched.add("timed out"));
		this.gate.remove(timedOut);
		assertThat(this.gate.size()).isZero();
		assertThat(this.gate.resume()).isZero();
		assertThat(dispatched).isEmpty();
		assertThat(this.gate.size()).isZero();
	}

	@Test
	void aShutdownWhilePausedCountsTheHeldWorkAndHandsItOverToCancel() {
		add(this.gate, unit("running"));
		this.gate.pause();
		Unit held = unit("held");
		this.gate.admit(held, () -> {
		});
		this.gate.stopAccepting();
		assertThat(this.gate.inFlightAtShutdown()).isEqualTo(2);
		assertThat(this.gate.takeHeld()).containsExactly(held);
		assertThat(this.gate.takeHeld()).isEmpty();
		assertThat(this.gate.resume()).as("no resume after shutdown").isZero();
		assertThat(this.gate.admit(unit("late"), () -> {
		})).isEqualTo(LoopGate.Admission.REFUSED);
	}

	@Test
	void heldWorkEndingWhileAResumeReleasesItIsNeverLeftTrackedNorDispatched() throws Exception {
		// A held call's timeout (remove) racing with resume (moving it to in flight): a
		// unit must end up either dispatched and tracked, or ended and forgotten.
		for (int round = 0; round < 2_000; round++) {
			LoopGate racing = new LoopGate();
			racing.pause();
			List<Unit> units = new ArrayList<>();
			AtomicInteger dispatched = new AtomicInteger();
			for (int i = 0; i < 64; i++) {
				Unit unit = unit("u" + i);
				units.add(unit);
				racing.admit(unit, dispatched::incrementAndGet);
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
					racing.remove(units.get(i));
				}
			});
			remover.start();
			go.countDown();
			int started = racing.resume();
			remover.join();
			assertThat(started).as("round %d", round).isEqualTo(dispatched.get());
			// What was dispatched before its remove is still tracked until that remove,
			// which has now run for every unit.
			assertThat(racing.size()).as("round %d", round).isZero();
			assertThat(racing.awaitDrained(System.nanoTime())).isEmpty();
		}
	}

	@Test
	void workEndingWhileItIsAdmittedIsNeverLeftTracked() throws Exception {
		// A timer may cancel work (remove) before admit has returned, paused or not.
		for (int round = 0; round < 2_000; round++) {
			LoopGate racing = new LoopGate();
			if (round % 2 == 1) {
				racing.pause();
			}
			Unit unit = unit("raced");
			AtomicBoolean ready = new AtomicBoolean();
			AtomicBoolean go = new AtomicBoolean();
			int delay = round % 64;
			Thread timer = new Thread(() -> {
				ready.set(true);
				// Spins rather than parks, so the remove lands within the admission
				// instead of a wake-up later; the delay sweeps it across the admission.
				while (!go.get()) {
					Thread.onSpinWait();
				}
				for (int i = 0; i < delay; i++) {
					Thread.onSpinWait();
				}
				racing.remove(unit);
			});
			timer.start();
			while (!ready.get()) {
				Thread.onSpinWait();
			}
			go.set(true);
			racing.admit(unit, () -> {
			});
			timer.join();
			racing.resume();
			assertThat(racing.awaitDrained(System.nanoTime())).as("round %d", round).isEmpty();
			assertThat(racing.size()).as("round %d", round).isZero();
		}
	}

	@Test
	void pausesAndResumesRacingWithAdmissionsLoseNothing() throws Exception {
		for (int round = 0; round < 100; round++) {
			LoopGate racing = new LoopGate();
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
						if (racing.admit(unit("u"), dispatched::incrementAndGet) == LoopGate.Admission.DISPATCH) {
							dispatched.incrementAndGet();
						}
					}
				});
				adder.start();
				adders.add(adder);
			}
			go.countDown();
			for (int i = 0; i < 50; i++) {
				racing.pause();
				racing.resume();
			}
			for (Thread adder : adders) {
				adder.join();
			}
			racing.resume();
			assertThat(dispatched.get()).as("round %d", round).isEqualTo(3 * perThread);
			assertThat(racing.size()).isEqualTo(3 * perThread);
			assertThat(racing.held()).isZero();
		}
	}

	private static boolean add(LoopGate gate, TrackedWork unit) {
		return gate.admit(unit, () -> {
		}) == LoopGate.Admission.DISPATCH;
	}

	private static Unit unit(String name) {
		return new Unit(name);
	}

	private static final class Unit extends TrackedWork {

		Unit(String name) {
			super(name);
		}

		@Override
		boolean cancel(Throwable reason) {
			return false;
		}

	}

}
