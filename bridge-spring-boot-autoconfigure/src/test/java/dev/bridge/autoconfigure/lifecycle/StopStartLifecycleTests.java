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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.autoconfigure.health.BridgeHealthAutoConfiguration;
import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopTimeoutException;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Issue 19: Bridge through every path Spring takes a context along without closing it
 * ({@code stop()}/{@code start()}, {@code pause()}/{@code restart()}), and a close that
 * follows a pause. Everything goes through the application context itself, as Spring's
 * test context cache and a user's code would.
 */
@ExtendWith(OutputCaptureExtension.class)
class StopStartLifecycleTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class,
				BridgeHealthAutoConfiguration.class))
		.withPropertyValues("bridge.shutdown.timeout=2s", "bridge.offload.pools.jdbc.max-concurrency=2")
		.withUserConfiguration(WorkConfiguration.class);

	/**
	 * The two ways Spring takes a running context down and up again without closing it.
	 */
	enum Cycle {

		STOP_START(ConfigurableApplicationContext::stop, ConfigurableApplicationContext::start),

		PAUSE_RESTART(ConfigurableApplicationContext::pause, ConfigurableApplicationContext::restart);

		final Consumer<ConfigurableApplicationContext> down;

		final Consumer<ConfigurableApplicationContext> up;

		Cycle(Consumer<ConfigurableApplicationContext> down, Consumer<ConfigurableApplicationContext> up) {
			this.down = down;
			this.up = up;
		}

	}

	@ParameterizedTest
	@EnumSource(Cycle.class)
	void everyWayInWorksAgainAfterEachOfThreeRounds(Cycle cycle) {
		this.contextRunner.run((context) -> {
			ConfigurableApplicationContext source = context.getSourceApplicationContext();
			LoopRunner loop = context.getBean(LoopRunner.class);
			Offloader offloader = context.getBean(Offloader.class);
			Set<Thread> loopThreads = aliveThreads("bridge-loop-");
			String loopName = loop.stats().name();
			for (int round = 1; round <= 3; round++) {
				cycle.down.accept(source);
				assertThat(context.getBean(BridgeShutdownLifecycle.class).isRunning()).isFalse();
				Health paused = health(context);
				assertThat(paused.getStatus()).as("health while stopped").isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(paused.getDetails().get("reason").toString()).contains("paused")
					.doesNotContain("dead")
					.doesNotContain("shut down");
				cycle.up.accept(source);
				assertThat(context.getBean(LoopRunner.class)).as("the same bean").isSameAs(loop);
				assertEveryWayInWorks(context);
				assertThat(health(context).getStatus()).as("health after round " + round).isEqualTo(Status.UP);
				assertThat(loop.stats().name()).isEqualTo(loopName);
			}
			assertThat(offloader.pool("jdbc").stats().completed()).isEqualTo(3);
			// A stop quiesces: the loop keeps its thread and timer, and no round starts
			// another loop thread or timer.
			assertThat(aliveThreads("bridge-loop-")).isEqualTo(loopThreads);
		});
	}

	@ParameterizedTest
	@EnumSource(Cycle.class)
	void workSubmittedWhileStoppedIsHeldAndRunsAfterStart(Cycle cycle) throws Exception {
		this.contextRunner.run((context) -> {
			ConfigurableApplicationContext source = context.getSourceApplicationContext();
			Work work = context.getBean(Work.class);
			LoopRunner loop = context.getBean(LoopRunner.class);
			Offloader offloader = context.getBean(Offloader.class);
			cycle.down.accept(source);
			AtomicInteger ran = new AtomicInteger();
			CompletableFuture<String> annotatedFuture = work.offloadedFuture(ran);
			CompletableFuture<String> annotatedMono = work.offloadedMono(ran).toFuture();
			CompletableFuture<String> offloaded = offloader.future(() -> {
				ran.incrementAndGet();
				return Thread.currentThread().getName();
			});
			CompletableFuture<String> submitted = loop.submit(Mono.fromCallable(() -> {
				ran.incrementAndGet();
				return Thread.currentThread().getName();
			}));
			CompletableFuture<String> syncOnLoop = onNewThread(() -> work.onLoop(ran));
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(2))
				.until(() -> ran.get() == 0 && !annotatedFuture.isDone() && !annotatedMono.isDone()
						&& !offloaded.isDone() && !submitted.isDone() && !syncOnLoop.isDone());
			cycle.up.accept(source);
			assertThat(annotatedFuture.get(5, TimeUnit.SECONDS)).startsWith("bridge-offload-jdbc-");
			assertThat(annotatedMono.get(5, TimeUnit.SECONDS)).startsWith("bridge-offload-default-");
			assertThat(offloaded.get(5, TimeUnit.SECONDS)).startsWith("bridge-offload-default-");
			assertThat(submitted.get(5, TimeUnit.SECONDS)).startsWith("bridge-loop-");
			assertThat(syncOnLoop.get(5, TimeUnit.SECONDS)).startsWith("bridge-loop-");
			assertThat(ran).hasValue(5);
		});
	}

	@Test
	void stopWaitsForWorkInFlightAndLetsItFinish() {
		this.contextRunner.run((context) -> {
			Work work = context.getBean(Work.class);
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<String> inFlight = work.offloadedUntil(release);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> context.getBean(Offloader.class).pool("jdbc").stats().active() == 1);
			CompletableFuture<Void> stopping = onNewThread(() -> {
				context.stop();
				return null;
			});
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !stopping.isDone());
			release.countDown();
			stopping.get(5, TimeUnit.SECONDS);
			assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("released");
			context.start();
		});
	}

	@Test
	void managedResourcesSurviveAStopAndCloseOnceWhenTheContextCloses() {
		List<String> closed = new ArrayList<>();
		this.contextRunner.run((context) -> {
			LoopRunner loop = context.getBean(LoopRunner.class);
			String resource = loop.manage(Mono.just("pool"), (opened) -> Mono.fromRunnable(() -> closed.add(opened)));
			for (int round = 0; round < 3; round++) {
				context.stop();
				context.start();
			}
			assertThat(closed).isEmpty();
			assertThat(loop.run(Mono.just(resource + " still open"))).isEqualTo("pool still open");
		});
		assertThat(closed).containsExactly("pool");
	}

	@Test
	void waitingOnAStoppedLoopTimesOutSayingSoWithoutBlamingAClose() {
		this.contextRunner.run((context) -> {
			LoopRunner loop = context.getBean(LoopRunner.class);
			context.stop();
			assertThatExceptionOfType(LoopTimeoutException.class)
				.isThrownBy(() -> loop.run(Mono.just("late"), Duration.ofMillis(200)))
				.withMessageContaining("paused")
				.withMessageNotContaining("closes");
			context.start();
			assertThat(loop.run(Mono.just("on time"))).isEqualTo("on time");
		});
	}

	@Test
	void closingAPausedContextCancelsWhatItHeldAndLeavesNoThread(CapturedOutput output) {
		Set<Thread> bridgeThreadsBefore = aliveBridgeThreads();
		List<CompletableFuture<String>> held = new ArrayList<>();
		this.contextRunner.run((context) -> {
			Work work = context.getBean(Work.class);
			context.getSourceApplicationContext().pause();
			AtomicInteger ran = new AtomicInteger();
			held.add(work.offloadedFuture(ran));
			held.add(context.getBean(LoopRunner.class).submit(Mono.just("never")));
			held.add(context.getBean(Offloader.class).future(() -> "never"));
		});
		assertThat(held).allSatisfy((call) -> assertThat(call.handle((value, failure) -> failure).join())
			.isInstanceOf(CancelledByShutdownException.class)
			.hasMessageNotContaining("closes"));
		assertThat(output).containsOnlyOnce("Bridge shut down in")
			.containsPattern("bridge-offload: drained 0, cancelled 2 \\[.*Work.offloadedFuture")
			.containsPattern("bridge-loop-[0-9]+: drained 0, cancelled 1 \\[submit");
		assertThat(aliveBridgeThreads()).isSubsetOf(bridgeThreadsBefore);
	}

	private static void assertEveryWayInWorks(AssertableApplicationContext context) throws Exception {
		Work work = context.getBean(Work.class);
		AtomicInteger ran = new AtomicInteger();
		assertThat(work.offloadedFuture(ran).get(5, TimeUnit.SECONDS)).startsWith("bridge-offload-jdbc-");
		assertThat(work.offloadedMono(ran).block(Duration.ofSeconds(5))).startsWith("bridge-offload-default-");
		assertThat(work.onLoop(ran)).startsWith("bridge-loop-");
		LoopRunner loop = context.getBean(LoopRunner.class);
		assertThat(loop.run(Mono.fromCallable(() -> Thread.currentThread().getName()))).startsWith("bridge-loop-");
		assertThat(context.getBean(Offloader.class).mono(() -> "offloaded").block(Duration.ofSeconds(5)))
			.isEqualTo("offloaded");
		assertThat(ran).hasValue(3);
	}

	private static Health health(AssertableApplicationContext context) {
		return context.getBean("bridgeHealthIndicator", HealthIndicator.class).health(true);
	}

	/**
	 * Runs {@code task} on a new thread: the common pool may have a single worker on a
	 * small machine, where one blocked task would hold up the next.
	 */
	private static <T> CompletableFuture<T> onNewThread(Supplier<T> task) {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(task.get());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		thread.setDaemon(true);
		thread.start();
		return result;
	}

	static Set<Thread> aliveBridgeThreads() {
		return aliveThreads("bridge-");
	}

	static Set<Thread> aliveThreads(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith(prefix))
			.collect(Collectors.toSet());
	}

	@Configuration(proxyBeanMethods = false)
	static class WorkConfiguration {

		@Bean
		Work work() {
			return new Work();
		}

	}

	static class Work {

		@OffloadBlocking(pool = "jdbc")
		public CompletableFuture<String> offloadedFuture(AtomicInteger ran) {
			ran.incrementAndGet();
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@OffloadBlocking(pool = "jdbc")
		public CompletableFuture<String> offloadedUntil(CountDownLatch release) throws InterruptedException {
			release.await(10, TimeUnit.SECONDS);
			return CompletableFuture.completedFuture("released");
		}

		@OffloadBlocking
		public Mono<String> offloadedMono(AtomicInteger ran) {
			ran.incrementAndGet();
			return Mono.just(Thread.currentThread().getName());
		}

		@RunOnLoop
		public String onLoop(AtomicInteger ran) {
			ran.incrementAndGet();
			return Thread.currentThread().getName();
		}

	}

}
