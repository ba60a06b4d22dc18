/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

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

@Timeout(10)
class InFlightWorkTests {

	private final InFlightWork<String> work = new InFlightWork<>();

	@Test
	void afterStopAcceptingAddsAreRefusedAndTheCountAtShutdownIsKept() {
		assertThat(add(this.work, "a")).isTrue();
		assertThat(add(this.work, "b")).isTrue();
		this.work.stopAccepting();
		this.work.stopAccepting();
		assertThat(add(this.work, "c")).isFalse();
		assertThat(this.work.state()).isEqualTo(InFlightWork.State.SHUT_DOWN);
		assertThat(this.work.size()).isEqualTo(2);
		assertThat(this.work.inFlightAtShutdown()).isEqualTo(2);
	}

	@Test
	void awaitDrainedReturnsAsSoonAsTheLastWorkFinishes() throws Exception {
		add(this.work, "a");
		this.work.stopAccepting();
		CompletableFuture<Integer> left = CompletableFuture
			.supplyAsync(() -> this.work.awaitDrained(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)).size());
		assertThat(this.work.remove("a")).isTrue();
		assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
		assertThat(this.work.remove("a")).isFalse();
	}

	@Test
	void awaitDrainedReturnsWhatIsLeftAtTheDeadline() {
		add(this.work, "stuck");
		this.work.stopAccepting();
		assertThat(this.work.awaitDrained(System.nanoTime() + Duration.ofMillis(20).toNanos()))
			.containsExactly("stuck");
	}

	@Test
	void aStopRacingWithAddsCountsExactlyTheAcceptedWork() throws Exception {
		for (int round = 0; round < 200; round++) {
			InFlightWork<Integer> racing = new InFlightWork<>();
			AtomicInteger accepted = new AtomicInteger();
			CountDownLatch go = new CountDownLatch(1);
			List<Thread> adders = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int base = t * 1_000_000;
				Thread adder = new Thread(() -> {
					try {
						go.await();
					}
					catch (InterruptedException ex) {
						return;
					}
					for (int i = 0; add(racing, base + i); i++) {
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
		}
	}

	@Test
	void workAdmittedWhilePausedIsHeldAndDispatchedInOrderOnResume() {
		List<String> dispatched = new ArrayList<>();
		assertThat(add(this.work, "before")).isTrue();
		assertThat(this.work.pause()).isTrue();
		assertThat(this.work.pause()).isFalse();
		assertThat(this.work.admit("one", () -> dispatched.add("one"))).isEqualTo(InFlightWork.Admission.HELD);
		assertThat(this.work.admit("two", () -> dispatched.add("two"))).isEqualTo(InFlightWork.Admission.HELD);
		assertThat(dispatched).isEmpty();
		assertThat(this.work.size()).isEqualTo(3);
		assertThat(this.work.held()).isEqualTo(2);
		assertThat(this.work.resume()).isEqualTo(2);
		assertThat(dispatched).containsExactly("one", "two");
		assertThat(this.work.held()).isZero();
		assertThat(this.work.state()).isEqualTo(InFlightWork.State.RUNNING);
		assertThat(this.work.resume()).isZero();
		assertThat(add(this.work, "after")).isTrue();
		assertThat(this.work.size()).isEqualTo(4);
	}

	@Test
	void pausingWaitsForDispatchedWorkButNotForHeldWork() throws Exception {
		add(this.work, "running");
		this.work.pause();
		this.work.admit("held", () -> {
		});
		CompletableFuture<List<String>> left = CompletableFuture
			.supplyAsync(() -> this.work.awaitDrained(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
		assertThat(this.work.remove("running")).isTrue();
		assertThat(left.get(5, TimeUnit.SECONDS)).isEmpty();
		assertThat(this.work.held()).isOne();
	}

	@Test
	void heldWorkThatEndsBeforeResumeIsForgottenAndNotDispatched() {
		List<String> dispatched = new ArrayList<>();
		this.work.pause();
		this.work.admit("timed out", () -> dispatched.add("timed out"));
		assertThat(this.work.remove("timed out")).isTrue();
		assertThat(this.work.size()).isZero();
		this.work.resume();
		assertThat(dispatched).isEmpty();
	}

	@Test
	void aShutdownWhilePausedCountsTheHeldWorkAndHandsItOverToCancel() {
		add(this.work, "running");
		this.work.pause();
		this.work.admit("held", () -> {
		});
		this.work.stopAccepting();
		assertThat(this.work.inFlightAtShutdown()).isEqualTo(2);
		assertThat(this.work.takeHeld()).containsExactly("held");
		assertThat(this.work.takeHeld()).isEmpty();
		assertThat(this.work.resume()).as("no resume after shutdown").isZero();
		assertThat(this.work.admit("late", () -> {
		})).isEqualTo(InFlightWork.Admission.REFUSED);
	}

	@Test
	void heldWorkEndingWhileAResumeReleasesItIsNeverLeftTracked() throws Exception {
		// A held call's timeout (remove) racing with resume (moving it to in flight):
		// without the two excluding each other, remove could miss the unit in both places
		// and leave it tracked for good, so a later shutdown would wait for it.
		for (int round = 0; round < 2_000; round++) {
			InFlightWork<Integer> racing = new InFlightWork<>();
			racing.pause();
			for (int i = 0; i < 64; i++) {
				racing.admit(i, () -> {
				});
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
					racing.remove(i);
				}
			});
			remover.start();
			go.countDown();
			racing.resume();
			remover.join();
			assertThat(racing.size()).as("round %d", round).isZero();
		}
	}

	private static <W> boolean add(InFlightWork<W> work, W unit) {
		return work.admit(unit, () -> {
		}) == InFlightWork.Admission.DISPATCH;
	}

}
