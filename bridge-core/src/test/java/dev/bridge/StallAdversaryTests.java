/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopStallEvent;
import dev.bridge.offload.OffloadStallEvent;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Adversarial tests of the stall watchdogs of the loop and the offload pools: listeners
 * that fail with an {@link Error}, stalls back to back, stalls while paused, and
 * continuations of named work.
 */
class StallAdversaryTests {

	private final List<CountDownLatch> latches = new CopyOnWriteArrayList<>();

	private final LogRecorder log = LogRecorder.attach("dev.bridge.loop.LoopStallLogger");

	@AfterEach
	void release() {
		this.latches.forEach(CountDownLatch::countDown);
		this.log.close();
	}

	private CountDownLatch latch() {
		CountDownLatch latch = new CountDownLatch(1);
		this.latches.add(latch);
		return latch;
	}

	private static boolean hang(CountDownLatch release) {
		try {
			return release.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Test
	void aLoopListenersErrorKeepsNeitherTheOtherListenersNorTheWatchdogFromLaterStalls() throws Exception {
		List<LoopStallEvent> heard = new CopyOnWriteArrayList<>();
		try (LoopRunner runner = LoopRunner.builder().stallThreshold(Duration.ofMillis(20)).stallListener((event) -> {
			throw new AssertionError("pager is down");
		}).stallListener(heard::add).build()) {
			CountDownLatch first = latch();
			CompletableFuture<Boolean> one = CompletableFuture
				.supplyAsync(() -> runner.named("First.hang").call(() -> hang(first)));
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> heard.size() == 1);
			first.countDown();
			assertThat(one.get(5, TimeUnit.SECONDS)).isTrue();
			CountDownLatch second = latch();
			CompletableFuture<Boolean> two = CompletableFuture
				.supplyAsync(() -> runner.named("Second.hang").call(() -> hang(second)));
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> heard.size() == 2);
			second.countDown();
			assertThat(two.get(5, TimeUnit.SECONDS)).isTrue();
			assertThat(heard).extracting(LoopStallEvent::task).containsExactly("First.hang", "Second.hang");
			assertThat(runner.stats().stalls()).isEqualTo(2);
		}
	}

	@Test
	void anOffloadListenersErrorKeepsNeitherTheOtherListenersNorTheWatchdogFromLaterStalls() throws Exception {
		List<OffloadStallEvent> heard = new CopyOnWriteArrayList<>();
		Offloader offloader = Offloader.builder()
			.defaultPool((pool) -> pool.stallThreshold(Duration.ofMillis(20)))
			.stallListener((event) -> {
				throw new AssertionError("pager is down");
			})
			.stallListener(heard::add)
			.build();
		try {
			CountDownLatch first = latch();
			CompletableFuture<Boolean> one = offloader.named("First.hang").future(() -> hang(first));
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> heard.size() == 1);
			first.countDown();
			assertThat(one.get(5, TimeUnit.SECONDS)).isTrue();
			CountDownLatch second = latch();
			CompletableFuture<Boolean> two = offloader.named("Second.hang").future(() -> hang(second));
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> heard.size() == 2);
			second.countDown();
			assertThat(two.get(5, TimeUnit.SECONDS)).isTrue();
			assertThat(heard).extracting(OffloadStallEvent::task).containsExactly("First.hang", "Second.hang");
			assertThat(offloader.stats().stalls()).isEqualTo(2);
		}
		finally {
			offloader.finishShutdown(Duration.ofSeconds(5));
		}
	}

	@Test
	void aListenerThatBlocksHoldsUpNeitherTheLoopsTimersNorItsShutdown() throws Exception {
		CountDownLatch inListener = new CountDownLatch(1);
		CountDownLatch releaseListener = latch();
		String name;
		try (LoopRunner runner = LoopRunner.builder().stallThreshold(Duration.ofMillis(20)).stallListener((event) -> {
			inListener.countDown();
			hang(releaseListener);
		}).build()) {
			name = runner.stats().name();
			CountDownLatch release = latch();
			CompletableFuture<Boolean> stalling = runner.submit(Mono.fromCallable(() -> hang(release)));
			assertThat(inListener.await(5, TimeUnit.SECONDS)).isTrue();
			release.countDown();
			assertThat(stalling.get(5, TimeUnit.SECONDS)).isTrue();
			// The pager still hangs: a delay on the loop must still fire.
			CompletableFuture<Long> delayed = runner.submit(Mono.delay(Duration.ofMillis(5), runner.scheduler()));
			assertThat(delayed.get(5, TimeUnit.SECONDS)).isZero();
		}
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> thread.getName().startsWith(name + "-"));
	}

	@Test
	void aPoolWithStallThresholdZeroIsNeverReportedWhileAnotherPoolsStallIs() throws Exception {
		List<OffloadStallEvent> heard = new CopyOnWriteArrayList<>();
		Offloader offloader = Offloader.builder()
			.defaultPool((pool) -> pool.stallThreshold(Duration.ofMillis(20)))
			.pool("off", (pool) -> pool.stallThreshold(Duration.ZERO))
			.stallListener(heard::add)
			.build();
		try {
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch release = latch();
			CompletableFuture<Boolean> unwatched = offloader.pool("off").named("Off.hang").future(() -> {
				started.countDown();
				return hang(release);
			});
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			// Started later, so when it is reported the unwatched call has run longer.
			CompletableFuture<Boolean> watched = offloader.named("Watched.hang").future(() -> hang(release));
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> !heard.isEmpty());
			release.countDown();
			assertThat(unwatched.get(5, TimeUnit.SECONDS)).isTrue();
			assertThat(watched.get(5, TimeUnit.SECONDS)).isTrue();
			assertThat(heard).extracting(OffloadStallEvent::task).containsExactly("Watched.hang");
			assertThat(offloader.pool("off").stats().stalls()).isZero();
		}
		finally {
			offloader.finishShutdown(Duration.ofSeconds(5));
		}
	}

	@Test
	void twoStallsOfTheSameTaskBackToBackAreTwoEventsAndOneWarning() throws Exception {
		List<LoopStallEvent> heard = new CopyOnWriteArrayList<>();
		try (LoopRunner runner = LoopRunner.builder()
			.stallThreshold(Duration.ofMillis(20))
			.stallListener(heard::add)
			.build()) {
			CountDownLatch first = latch();
			CountDownLatch second = latch();
			LoopRunner named = runner.named("Same.hang");
			CompletableFuture<Boolean> one = named.submit(Mono.fromCallable(() -> hang(first)));
			CompletableFuture<Boolean> two = named.submit(Mono.fromCallable(() -> hang(second)));
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> heard.size() == 1);
			first.countDown();
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> heard.size() == 2);
			second.countDown();
			assertThat(one.get(5, TimeUnit.SECONDS)).isTrue();
			assertThat(two.get(5, TimeUnit.SECONDS)).isTrue();
			assertThat(heard).extracting(LoopStallEvent::stallCount).containsExactly(1L, 2L);
			assertThat(runner.stats().stalls()).isEqualTo(2);
		}
		assertThat(this.log.events(Level.WARN)).hasSize(1);
	}

	@Test
	void aStallWhilePausedIsStillReportedAndCounted() throws Exception {
		List<LoopStallEvent> heard = new CopyOnWriteArrayList<>();
		try (LoopRunner runner = LoopRunner.builder()
			// Well past the pause below: the watchdog sees the stall while paused.
			.stallThreshold(Duration.ofMillis(200))
			.stallListener(heard::add)
			.build()) {
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch release = latch();
			CompletableFuture<Boolean> stalling = runner.named("Paused.hang").submit(Mono.fromCallable(() -> {
				started.countDown();
				return hang(release);
			}));
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			runner.pause();
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> heard.size() == 1);
			release.countDown();
			assertThat(stalling.get(5, TimeUnit.SECONDS)).isTrue();
			assertThat(heard).singleElement().satisfies((event) -> assertThat(event.task()).isEqualTo("Paused.hang"));
			assertThat(runner.stats().stalls()).isEqualTo(1);
			runner.resume();
		}
	}

	@Test
	void aStallInAContinuationOfNamedWorkOnTheLoopCarriesTheWorksName() throws Exception {
		List<LoopStallEvent> heard = new CopyOnWriteArrayList<>();
		try (LoopRunner runner = LoopRunner.builder()
			.stallThreshold(Duration.ofMillis(20))
			.stallListener(heard::add)
			.build()) {
			CountDownLatch release = latch();
			CompletableFuture<Boolean> stalling = runner.named("LoopService.hold")
				.submit(Mono.delay(Duration.ofMillis(1), runner.scheduler()).map((tick) -> hang(release)));
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> heard.size() == 1);
			release.countDown();
			assertThat(stalling.get(5, TimeUnit.SECONDS)).isTrue();
			assertThat(heard).singleElement()
				.satisfies((event) -> assertThat(event.task()).isEqualTo("LoopService.hold"));
		}
	}

}
