/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The worker watchdog: a call past its pool's stall threshold is reported once, while it
 * runs, with its stack and name, counted, and the oldest running call's age is in the
 * stats.
 */
class OffloadWatchdogTests {

	private final List<OffloadStallEvent> events = new CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private Offloader offloader;

	@AfterEach
	void shutDown() {
		this.release.countDown();
		if (this.offloader != null) {
			this.offloader.finishShutdown(Duration.ofSeconds(5));
		}
	}

	@Test
	void noWatchdogThreadOutlivesTheShutdownOfItsOffloader() {
		for (int i = 0; i < 300; i++) {
			Offloader offloader = Offloader.builder().build();
			Thread watchdog = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((thread) -> thread.getName().equals("bridge-offload-watchdog"))
				.max(java.util.Comparator.comparingLong(Thread::getId))
				.orElseThrow();
			offloader.finishShutdown(Duration.ofSeconds(5));
			assertThat(watchdog.isAlive()).as("watchdog alive after shutdown, round " + i).isFalse();
		}
	}

	@Test
	void aCallPastTheThresholdIsReportedOnceWithItsStackAndName() {
		this.offloader = Offloader.builder()
			.defaultPool((pool) -> pool.stallThreshold(Duration.ofMillis(100)))
			.pool("jdbc", (pool) -> pool.stallThreshold(Duration.ofMillis(100)))
			.stallListener(this.events::add)
			.build();
		CompletableFuture<Object> first = this.offloader.named("OrderRepository.findStuck").future(this::hang);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.size() == 1);
		OffloadStallEvent event = this.events.get(0);
		assertThat(event.pool()).isEqualTo("default");
		assertThat(event.task()).isEqualTo("OrderRepository.findStuck");
		assertThat(event.thread()).startsWith("bridge-offload-default-");
		assertThat(event.runningFor()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
		assertThat(event.threshold()).isEqualTo(Duration.ofMillis(100));
		assertThat(event.stallCount()).isEqualTo(1);
		assertThat(event.stack()).anySatisfy((frame) -> assertThat(frame.getMethodName()).isEqualTo("hang"));
		// A second stalled call, started after the first was reported, is seen by a
		// later tick: by then the first has been scanned again and not reported twice.
		CompletableFuture<Object> second = this.offloader.pool("jdbc").named("Other.findStuck").future(this::hang);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.size() >= 2);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.events.stream().anyMatch((e) -> e.task().equals("Other.findStuck")));
		assertThat(this.events).extracting(OffloadStallEvent::task)
			.containsExactly("OrderRepository.findStuck", "Other.findStuck");
		assertThat(this.events.get(1).pool()).isEqualTo("jdbc");
		OffloadStats stats = this.offloader.stats();
		assertThat(stats.stalls()).isEqualTo(1);
		assertThat(stats.oldestRunning()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
		assertThat(this.offloader.pool("jdbc").stats().stalls()).isEqualTo(1);
		this.release.countDown();
		first.join();
		second.join();
		assertThat(this.offloader.stats().oldestRunning()).isZero();
	}

	@Test
	void oldestRunningIsZeroWhenIdleAndTheThresholdMustNotBeNegative() {
		this.offloader = Offloader.builder().defaultPool((pool) -> pool.stallThreshold(Duration.ZERO)).build();
		assertThat(this.offloader.stats().oldestRunning()).isZero();
		assertThat(this.offloader.stats().stalls()).isZero();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Offloader.builder().defaultPool((pool) -> pool.stallThreshold(Duration.ofSeconds(-1))))
			.withMessageContaining("must not be negative");
	}

	@Test
	void aListenerThatThrowsDoesNotKeepTheOthersFromTheEvent() {
		this.offloader = Offloader.builder()
			.defaultPool((pool) -> pool.stallThreshold(Duration.ofMillis(50)))
			.stallListener((event) -> {
				throw new IllegalStateException("listener failure");
			})
			.stallListener(this.events::add)
			.build();
		this.offloader.future(this::hang);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.size() == 1);
	}

	private Object hang() throws InterruptedException {
		return this.release.await(30, TimeUnit.SECONDS);
	}

}
