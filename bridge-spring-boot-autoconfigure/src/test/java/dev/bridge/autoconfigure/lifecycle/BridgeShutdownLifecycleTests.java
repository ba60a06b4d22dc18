/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.lifecycle.ShuttingDownException;
import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopStats;
import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BridgeShutdownLifecycle}.
 */
@ExtendWith(OutputCaptureExtension.class)
class BridgeShutdownLifecycleTests {

	private static final int QUICK = 100;

	private static final int SLOW = 100;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class))
		.withPropertyValues("bridge.shutdown.timeout=2s");

	@ParameterizedTest
	@ValueSource(strings = { "platform", "virtual" })
	void closingWith200CallsInFlightDrainsTheQuickOnesAndCancelsTheRestWithinTheBudget(String threads,
			CapturedOutput output) {
		assumeThat(threads.equals("platform") || ThreadMode.virtualThreadsAvailable()).as("virtual threads").isTrue();
		Set<Thread> bridgeThreadsBefore = aliveBridgeThreads();
		this.contextRunner.withPropertyValues("bridge.offload.threads=" + threads)
			.withUserConfiguration(WorkConfiguration.class)
			.run((context) -> {
				Work work = context.getBean(Work.class);
				Recorder recorder = context.getBean(Recorder.class);
				List<CompletableFuture<String>> quick = new ArrayList<>();
				List<CompletableFuture<String>> slow = new ArrayList<>();
				for (int i = 0; i < QUICK; i++) {
					quick.add(work.quick());
					slow.add(work.slow());
				}
				assertThat(recorder.started.await(10, TimeUnit.SECONDS)).isTrue();
				long start = System.nanoTime();
				context.close();
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				assertThat(took).isLessThan(Duration.ofSeconds(2 + 1));
				assertThat(quick).allSatisfy((call) -> assertThat(call).isCompletedWithValue("done"));
				assertThat(slow).allSatisfy((call) -> assertThat(call.handle((value, failure) -> failure).join())
					.isInstanceOf(CancelledByShutdownException.class)
					.hasMessageContaining("Work.slow"));
				// Platform threads (loop, timer, pool) are joined before close() returns.
				assertThat(aliveBridgeThreads()).isSubsetOf(bridgeThreadsBefore);
				// A virtual thread may still be unwinding for a moment after its executor
				// saw its task end.
				assertThat(recorder.threads).hasSize(QUICK + SLOW);
				await().atMost(Duration.ofSeconds(1))
					.untilAsserted(() -> assertThat(recorder.threads).noneMatch(Thread::isAlive));
			});
		// Quick calls that ended before close() began are not counted as drained.
		assertThat(output).containsOnlyOnce("Bridge shut down in")
			.containsPattern("bridge-offload: drained [1-9][0-9]*, cancelled " + SLOW + " \\[Work.slow");
	}

	@Test
	void newWorkIsRefusedOnceTheCloseBegins() {
		this.contextRunner.withUserConfiguration(WorkConfiguration.class).run((context) -> {
			Work work = context.getBean(Work.class);
			CompletableFuture<String> draining = work.slow();
			await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Recorder.class).threads.size() == 1);
			// The close drains the slow call for its whole budget: new work comes
			// meanwhile.
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> context.getBean(LoopRunner.class).stats().state() == LoopStats.State.SHUT_DOWN);
			assertThatExceptionOfType(ShuttingDownException.class).isThrownBy(work::quick)
				.withMessageContaining("bridge is shutting down");
			assertThatExceptionOfType(ShuttingDownException.class).isThrownBy(work::onLoop);
			assertThat(context.getBean(LoopRunner.class).stats().alive()).isFalse();
			closing.join();
			assertThat(draining).isCompletedExceptionally();
		});
	}

	@Test
	void idleShutdownLogsOneReportLine(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(BridgeShutdownLifecycle.class).isRunning()).isTrue();
			context.close();
		});
		assertThat(output).containsOnlyOnce("Bridge shut down in")
			.contains("bridge-offload: drained 0, cancelled 0")
			.doesNotContain("Loop runner shut down");
	}

	@Test
	void runsAfterTheWebServersGracefulShutdownAndBeforeItStops() {
		int gracefulShutdownPhase = SmartLifecycle.DEFAULT_PHASE - 1024;
		int webServerStartStopPhase = gracefulShutdownPhase - 1024;
		assertThat(BridgeShutdownLifecycle.PHASE).isLessThan(gracefulShutdownPhase)
			.isGreaterThan(webServerStartStopPhase);
	}

	@Test
	void lazyBridgeBeansThatWereNeverCreatedAreLeftAlone() {
		this.contextRunner.withPropertyValues("spring.main.lazy-initialization=true").run((context) -> {
			context.close();
			assertThat(context.getBeanFactory().containsSingleton("bridgeLoopRunner")).isFalse();
			assertThat(context.getBeanFactory().containsSingleton("bridgeOffloader")).isFalse();
		});
	}

	@Test
	void disabledBridgeRegistersNoShutdown() {
		this.contextRunner.withPropertyValues("bridge.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BridgeShutdownLifecycle.class));
	}

	private static Set<Thread> aliveBridgeThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("bridge-"))
			.collect(Collectors.toSet());
	}

	@Configuration(proxyBeanMethods = false)
	static class WorkConfiguration {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		Work work(Recorder recorder) {
			return new Work(recorder);
		}

	}

	static class Recorder {

		final CountDownLatch started = new CountDownLatch(QUICK + SLOW);

		final List<Thread> threads = new CopyOnWriteArrayList<>();

		void start() {
			this.threads.add(Thread.currentThread());
			this.started.countDown();
		}

	}

	static class Work {

		private final Recorder recorder;

		Work(Recorder recorder) {
			this.recorder = recorder;
		}

		/** Blocks like a short remote call, well within the drain budget. */
		@OffloadBlocking
		public CompletableFuture<String> quick() throws InterruptedException {
			this.recorder.start();
			Thread.sleep(500);
			return CompletableFuture.completedFuture("done");
		}

		/** Blocks until interrupted, far past the drain budget. */
		@OffloadBlocking
		public CompletableFuture<String> slow() throws InterruptedException {
			this.recorder.start();
			new CountDownLatch(1).await();
			return CompletableFuture.completedFuture("never");
		}

		@RunOnLoop
		public String onLoop() {
			return "loop";
		}

	}

}
