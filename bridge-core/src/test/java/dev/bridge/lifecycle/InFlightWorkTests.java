/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.lifecycle;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

}
