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

@Timeout(10)
class InFlightWorkTests {

	private final InFlightWork<String> work = new InFlightWork<>();

	@Test
	void afterStopAcceptingAddsAreRefusedAndTheCountAtShutdownIsKept() {
		assertThat(this.work.add("a")).isTrue();
		assertThat(this.work.add("b")).isTrue();
		this.work.stopAccepting();
		this.work.stopAccepting();
		assertThat(this.work.add("c")).isFalse();
		assertThat(this.work.accepting()).isFalse();
		assertThat(this.work.size()).isEqualTo(2);
		assertThat(this.work.inFlightAtShutdown()).isEqualTo(2);
	}

	@Test
	void awaitDrainedReturnsAsSoonAsTheLastWorkFinishes() throws Exception {
		this.work.add("a");
		this.work.stopAccepting();
		CompletableFuture<Integer> left = CompletableFuture
			.supplyAsync(() -> this.work.awaitDrained(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)).size());
		assertThat(this.work.remove("a")).isTrue();
		assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
		assertThat(this.work.remove("a")).isFalse();
	}

	@Test
	void awaitDrainedReturnsWhatIsLeftAtTheDeadline() {
		this.work.add("stuck");
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
					for (int i = 0; racing.add(base + i); i++) {
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

}
