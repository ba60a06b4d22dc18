/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.bridge.context.ContextCapture;
import dev.bridge.lifecycle.ShuttingDownException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Offloader#scheduler()}.
 */
@Timeout(30)
class OffloadSchedulerTests {

	@RegisterExtension
	final Offloaders offloaders = new Offloaders();

	private Offloader offloader(Offloader.Builder builder) {
		return this.offloaders.build(builder);
	}

	@Test
	void publishOnAndSubscribeOnRunOnThePoolAsCallsOfIt() {
		Offloader jdbc = offloader(Offloader.builder().pool("jdbc", (pool) -> pool.maxConcurrency(2))).pool("jdbc");
		Scheduler scheduler = jdbc.scheduler();
		StepVerifier.create(Flux.range(1, 50).publishOn(scheduler).map((i) -> Thread.currentThread().getName()))
			.thenConsumeWhile((thread) -> thread.startsWith("bridge-offload-jdbc-"))
			.verifyComplete();
		StepVerifier.create(Mono.fromCallable(() -> Thread.currentThread().getName()).subscribeOn(scheduler))
			.assertNext((thread) -> assertThat(thread).startsWith("bridge-offload-jdbc-"))
			.verifyComplete();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(jdbc.stats().completed()).isPositive();
			assertThat(jdbc.stats().active()).isZero();
		});
		assertThat(jdbc.stats().failed()).isZero();
		// Operators dispose their worker from its own task: that must not cancel the
		// call.
		assertThat(jdbc.stats().cancelled()).isZero();
	}

	@Test
	void aFullPoolRefusesWithItsOwnRejection() throws Exception {
		Offloader offloader = offloader(
				Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(1).queueCapacity(1)));
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Boolean> busy = offloader.future(() -> release.await(10, TimeUnit.SECONDS));
		CompletableFuture<Boolean> queued = offloader.future(() -> true);
		try {
			// Scheduling itself throws the pool's exception; Reactor's operators deliver
			// it as their "Scheduler unavailable" rejection, caused by it.
			assertThatExceptionOfType(OffloadRejectedException.class)
				.isThrownBy(() -> offloader.scheduler().schedule(() -> {
				}))
				.withMessageContaining("default");
			StepVerifier.create(Mono.just(1).publishOn(offloader.scheduler()))
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(RejectedExecutionException.class)
					.hasCauseInstanceOf(OffloadRejectedException.class))
				.verify(Duration.ofSeconds(5));
			StepVerifier.create(Mono.just(1).subscribeOn(offloader.scheduler()))
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(RejectedExecutionException.class)
					.hasCauseInstanceOf(OffloadRejectedException.class))
				.verify(Duration.ofSeconds(5));
			assertThat(offloader.stats().rejected()).isEqualTo(3);
		}
		finally {
			release.countDown();
		}
		assertThat(busy.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(queued.get(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void theSchedulingThreadsContextIsRestoredAroundTheTask() {
		Offloader offloader = offloader(Offloader.builder().contextCapture(ContextCapture.of(true)));
		MDC.put("request", "s-1");
		try {
			StepVerifier
				.create(Mono.fromCallable(() -> String.valueOf(MDC.get("request"))).subscribeOn(offloader.scheduler()))
				.expectNext("s-1")
				.verifyComplete();
		}
		finally {
			MDC.remove("request");
		}
	}

	@Test
	void disposingARunningTaskInterruptsIt() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		Disposable task = offloader.scheduler().schedule(() -> {
			started.countDown();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		task.dispose();
		assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aDecoratingOffloaderGetsASchedulerThroughItsOwnCalls() {
		Offloader pool = offloader(Offloader.builder());
		AtomicInteger calls = new AtomicInteger();
		Offloader decorating = new Offloader() {

			@Override
			public <T> Mono<T> mono(Callable<T> blocking) {
				return pool.mono(blocking);
			}

			@Override
			public <T> CompletableFuture<T> future(Callable<T> blocking) {
				calls.incrementAndGet();
				return pool.future(blocking);
			}

			@Override
			public <T> Flux<T> flux(Callable<? extends Stream<T>> blocking) {
				return pool.flux(blocking);
			}

			@Override
			public Offloader pool(String name) {
				return pool.pool(name);
			}

			@Override
			public Offloader timeout(Duration timeout) {
				return pool.timeout(timeout);
			}

			@Override
			public Set<String> poolNames() {
				return pool.poolNames();
			}

			@Override
			public OffloadStats stats() {
				return pool.stats();
			}

		};
		StepVerifier
			.create(Mono.fromCallable(() -> Thread.currentThread().getName()).subscribeOn(decorating.scheduler()))
			.assertNext((thread) -> assertThat(thread).startsWith("bridge-offload-default-"))
			.verifyComplete();
		assertThat(calls).hasValue(1);
	}

	@Test
	void shutdownDrainsRunningTasksAndRefusesNewOnes() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		Offloader shutdown = offloader;
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch finished = new CountDownLatch(1);
		Scheduler scheduler = offloader.scheduler();
		scheduler.schedule(() -> {
			started.countDown();
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finished.countDown();
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		shutdown.beginShutdown();
		assertThatExceptionOfType(ShuttingDownException.class).isThrownBy(() -> scheduler.schedule(() -> {
		}));
		release.countDown();
		shutdown.finishShutdown(Duration.ofSeconds(10));
		assertThat(finished.getCount()).isZero();
	}

}
