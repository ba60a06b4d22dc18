/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.bridge.context.ContextCapture;
import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.lifecycle.ShuttingDownException;
import dev.bridge.loop.LoopDeadlockException;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class OffloaderTests {

	@RegisterExtension
	final Offloaders offloaders = new Offloaders();

	private Offloader offloader(Offloader.Builder builder) {
		return this.offloaders.build(builder);
	}

	@Test
	void monoIsLazyAndRunsOncePerSubscriptionOnAPoolThread() {
		Offloader offloader = offloader(Offloader.builder());
		AtomicInteger runs = new AtomicInteger();
		Mono<String> mono = offloader.mono(() -> {
			runs.incrementAndGet();
			return Thread.currentThread().getName();
		});
		assertThat(runs).hasValue(0);
		StepVerifier.create(mono)
			.assertNext((name) -> assertThat(name).startsWith("bridge-offload-default-"))
			.verifyComplete();
		StepVerifier.create(mono).expectNextCount(1).verifyComplete();
		assertThat(runs).hasValue(2);
		assertThat(offloader.stats().completed()).isEqualTo(2);
	}

	@Test
	void defaultPoolUsesVirtualThreadsExactlyWhenTheJvmHasThem() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		boolean virtual = offloader
			.future(() -> (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()))
			.exceptionally((ex) -> false)
			.get(10, TimeUnit.SECONDS);
		assertThat(virtual).isEqualTo(ThreadMode.virtualThreadsAvailable());
		assertThat(offloader.stats().virtualThreads()).isEqualTo(ThreadMode.virtualThreadsAvailable());
	}

	@Test
	void platformPoolRunsOnNamedPlatformThreads() throws Exception {
		Offloader offloader = offloader(Offloader.builder().pool("cpu", (pool) -> pool.threads(ThreadMode.PLATFORM)));
		assertThat(offloader.pool("cpu").future(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS))
			.startsWith("bridge-offload-cpu-");
		assertThat(offloader.pool("cpu").stats().virtualThreads()).isFalse();
	}

	@Test
	void platformPoolReusesTheThreadThatWentIdleLastInsteadOfGrowingToItsLimit() throws Exception {
		Offloader offloader = offloader(
				Offloader.builder().pool("cpu", (pool) -> pool.threads(ThreadMode.PLATFORM).maxConcurrency(64)));
		Set<String> threads = new HashSet<>();
		for (int i = 0; i < 1_000; i++) {
			threads.add(offloader.pool("cpu").future(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS));
		}
		// One call at a time: a fixed pool of 64 would have started a thread per call
		// until it had 64, then rotated through them all. Here a call gets a new thread
		// only when the one that ran the previous call is not back yet.
		assertThat(threads).isNotEmpty().hasSizeLessThanOrEqualTo(8);
	}

	@Test
	@Timeout(60)
	void platformPoolAtItsLimitNeverRefusesAnAdmittedCall() throws Exception {
		Offloader offloader = offloader(
				Offloader.builder().pool("tight", (pool) -> pool.threads(ThreadMode.PLATFORM).maxConcurrency(2)));
		int callers = 4;
		int callsEach = 10_000;
		List<CompletableFuture<Void>> callersDone = new ArrayList<>();
		for (int c = 0; c < callers; c++) {
			// Each caller waits for its call before the next, so the queue is mostly
			// empty and a call is often admitted while the worker that freed the slot is
			// still on its way back to the executor: that call must still get a thread,
			// never "its executor refused work".
			callersDone.add(CompletableFuture.runAsync(() -> {
				for (int i = 0; i < callsEach; i++) {
					int value = i;
					assertThat(offloader.pool("tight").future(() -> value).join()).isEqualTo(value);
				}
			}, (task) -> new Thread(task, "sequential-caller").start()));
		}
		CompletableFuture.allOf(callersDone.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			OffloadStats stats = offloader.pool("tight").stats();
			assertThat(stats.active()).isZero();
			assertThat(stats.queued()).isZero();
			assertThat(stats.completed()).isEqualTo((long) callers * callsEach);
		});
	}

	@Test
	void futureStartsAtOnce() {
		Offloader offloader = offloader(Offloader.builder());
		CountDownLatch started = new CountDownLatch(1);
		offloader.future(() -> {
			started.countDown();
			return 1;
		});
		await().until(() -> started.getCount() == 0);
	}

	@Test
	void checkedExceptionsReachTheCallerAsThemselves() {
		Offloader offloader = offloader(Offloader.builder());
		Exception checked = new Exception("legacy failure");
		StepVerifier.create(offloader.mono(() -> {
			throw checked;
		})).verifyErrorSatisfies((error) -> assertThat(error).isSameAs(checked));
		assertThatThrownBy(() -> offloader.future(() -> {
			throw checked;
		}).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause().isSameAs(checked);
		assertThat(offloader.stats().failed()).isEqualTo(2);
	}

	@Test
	void unknownPoolIsRefusedNamingTheConfiguredOnes() {
		Offloader offloader = offloader(Offloader.builder().pool("jdbc", (pool) -> pool.maxConcurrency(2)));
		assertThatThrownBy(() -> offloader.pool("jbdc")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("'jbdc'")
			.hasMessageContaining("[default, jdbc]")
			.hasMessageContaining("bridge.offload.pools.jbdc");
		assertThat(offloader.poolNames()).containsExactly("default", "jdbc");
	}

	@Test
	void whenPoolAndQueueAreFullThenCallIsRejectedAtOnceAndCounted() throws Exception {
		Offloader offloader = offloader(
				Offloader.builder().pool("jdbc", (pool) -> pool.maxConcurrency(1).queueCapacity(1)));
		Offloader jdbc = offloader.pool("jdbc");
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Integer> running = jdbc.future(() -> {
			release.await();
			return 1;
		});
		CompletableFuture<Integer> queued = jdbc.future(() -> 2);
		await().until(() -> jdbc.stats().active() == 1 && jdbc.stats().queued() == 1);
		assertThatExceptionOfType(OffloadRejectedException.class)
			.isThrownBy(() -> jdbc.named("Orders.find").future(() -> 3))
			.withMessageContaining("offload pool 'jdbc' is full")
			.withMessageContaining("Orders.find")
			.withMessageContaining("bridge.offload.pools.jdbc.max-concurrency")
			.satisfies((ex) -> assertThat(ex.getPool()).isEqualTo("jdbc"));
		StepVerifier.create(jdbc.mono(() -> 4)).verifyError(OffloadRejectedException.class);
		assertThat(jdbc.stats().rejected()).isEqualTo(2);
		release.countDown();
		assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(1);
		assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(2);
		await().until(() -> jdbc.stats().active() == 0);
		assertThat(jdbc.stats().queued()).isZero();
		// Only the queued call waited in the queue; the one that found a free slot did
		// not.
		assertThat(jdbc.stats().queueWaits()).isEqualTo(1);
	}

	@Test
	void callsThatFindAFreeSlotAreNotCountedAsQueueWaits() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		for (int i = 0; i < 3; i++) {
			assertThat(offloader.future(() -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
		}
		await().until(() -> offloader.stats().completed() == 3);
		assertThat(offloader.stats().queueWaits()).isZero();
		assertThat(offloader.stats().queueWaitTime()).isZero();
	}

	@Test
	void cancellingTheFutureInterruptsTheWorker() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		CompletableFuture<Object> future = offloader.future(() -> {
			started.countDown();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
			return null;
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(future.cancel(true)).isTrue();
		assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
		await().until(() -> offloader.stats().active() == 0);
		assertThat(offloader.stats().cancelled()).isEqualTo(1);
	}

	@Test
	void cancellingTheMonoInterruptsTheWorker() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		StepVerifier.create(offloader.mono(() -> {
			started.countDown();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
			return 1;
		})).then(() -> awaitLatch(started)).thenCancel().verify(Duration.ofSeconds(10));
		assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void withoutInterruptOnCancelTheBodyRunsOnButItsResultIsDropped() throws Exception {
		Offloader offloader = offloader(Offloader.builder().interruptOnCancel(false));
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean wasInterrupted = new AtomicBoolean();
		CompletableFuture<Integer> future = offloader.future(() -> {
			started.countDown();
			release.await();
			wasInterrupted.set(Thread.currentThread().isInterrupted());
			return 1;
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		future.cancel(true);
		release.countDown();
		await().until(() -> offloader.stats().active() == 0);
		assertThat(wasInterrupted).isFalse();
		assertThat(future).isCancelled();
	}

	@Test
	void cancellingAQueuedCallFreesItsQueueSlotAndItNeverRuns() throws Exception {
		Offloader offloader = offloader(Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(1)));
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean queuedRan = new AtomicBoolean();
		offloader.future(() -> release.await(10, TimeUnit.SECONDS));
		CompletableFuture<Boolean> queued = offloader.future(() -> queuedRan.getAndSet(true));
		assertThat(offloader.stats().queued()).isEqualTo(1);
		queued.cancel(true);
		assertThat(offloader.stats().queued()).isZero();
		release.countDown();
		assertThat(offloader.future(() -> 5).get(10, TimeUnit.SECONDS)).isEqualTo(5);
		assertThat(queuedRan).isFalse();
	}

	@Test
	void callsPastThePoolTimeoutFailWithATimeoutNamingTheKey() {
		Offloader offloader = offloader(
				Offloader.builder().pool("jdbc", (pool) -> pool.timeout(Duration.ofMillis(100))));
		StepVerifier.create(offloader.pool("jdbc").mono(() -> {
			new CountDownLatch(1).await();
			return 1;
		}))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(OffloadTimeoutException.class)
				.hasMessageContaining("100 ms")
				.hasMessageContaining("bridge.offload.pools.jdbc.timeout")
				.hasCauseInstanceOf(TimeoutException.class))
			.verify(Duration.ofSeconds(10));
		await().until(() -> offloader.pool("jdbc").stats().active() == 0);
		StepVerifier.create(offloader.pool("jdbc").mono(() -> {
			new CountDownLatch(1).await();
			return 1;
		}).onErrorResume(OffloadTimeoutException.class, (timeout) -> Mono.just(-1))).expectNext(-1).verifyComplete();
	}

	@Test
	void timeoutViewOverridesThePoolTimeout() {
		Offloader offloader = offloader(Offloader.builder());
		StepVerifier.create(offloader.timeout(Duration.ofMillis(50)).mono(() -> {
			new CountDownLatch(1).await();
			return 1;
		})).expectError(OffloadTimeoutException.class).verify(Duration.ofSeconds(10));
	}

	@Test
	void callerMdcIsRestoredAroundTheBodyAndClearedForTheNextTaskOnTheSameThread() throws Exception {
		// One thread runs every call, so the second call is the next task on the first
		// one's thread (a cached pool may give it another thread).
		ExecutorService oneThread = Executors.newSingleThreadExecutor((task) -> new Thread(task, "the-only-worker"));
		try {
			Offloader offloader = offloader(Offloader.builder()
				.contextCapture(ContextCapture.of(true))
				.defaultPool((pool) -> pool.executor(oneThread).maxConcurrency(1)));
			MDC.put("request", "r-1");
			CompletableFuture<String> first;
			try {
				first = offloader.future(() -> Thread.currentThread().getName() + "|" + MDC.get("request"));
			}
			finally {
				MDC.remove("request");
			}
			CompletableFuture<String> second = offloader
				.future(() -> Thread.currentThread().getName() + "|" + MDC.get("request"));
			assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("the-only-worker|r-1");
			assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("the-only-worker|null");
		}
		finally {
			oneThread.shutdownNow();
		}
	}

	@Test
	void withMdcDisabledTheMdcIsNotCarried() throws Exception {
		Offloader offloader = offloader(Offloader.builder().contextCapture(ContextCapture.of(false)));
		MDC.put("request", "r-2");
		try {
			assertThat(offloader.future(() -> MDC.get("request")).get(10, TimeUnit.SECONDS)).isNull();
		}
		finally {
			MDC.remove("request");
		}
	}

	@Test
	void resultsAwaitedFromTheLoopComeBackOnTheLoop() throws Exception {
		Offloader offloader = offloader(Offloader.builder());
		try (LoopRunner loop = LoopRunner.create()) {
			String resumedOn = loop.run(offloader.mono(() -> "x").map((x) -> Thread.currentThread().getName()));
			assertThat(resumedOn).isEqualTo(loop.stats().name());
			String futureResumedOn = loop.run(Mono.defer(() -> Mono
				.fromFuture(offloader.future(() -> "y").thenApply((y) -> Thread.currentThread().getName()))));
			assertThat(futureResumedOn).isEqualTo(loop.stats().name());
			List<String> fluxResumedOn = loop.run(offloader.flux(() -> IntStream.range(0, 3).boxed())
				.map((i) -> Thread.currentThread().getName())
				.collectList());
			assertThat(fluxResumedOn).containsOnly(loop.stats().name());
		}
	}

	@Test
	void fluxDrainsTheBlockingStreamWithBackpressureAndClosesIt() {
		Offloader offloader = offloader(Offloader.builder());
		AtomicInteger pulled = new AtomicInteger();
		AtomicBoolean closed = new AtomicBoolean();
		StepVerifier
			.create(offloader.flux(() -> IntStream.range(0, 1_000)
				.boxed()
				.peek((i) -> pulled.incrementAndGet())
				.onClose(() -> closed.set(true))), 0)
			.thenRequest(5)
			.expectNext(0, 1, 2, 3, 4)
			.then(() -> assertThat(pulled.get()).isLessThanOrEqualTo(6))
			.thenRequest(Long.MAX_VALUE)
			.expectNextCount(995)
			.verifyComplete();
		await().untilTrue(closed);
	}

	@Test
	void cancellingAFluxStopsAndClosesTheBlockingStream() {
		Offloader offloader = offloader(Offloader.builder());
		AtomicBoolean closed = new AtomicBoolean();
		StepVerifier
			.create(offloader.flux(() -> IntStream.iterate(0, (i) -> i + 1).boxed().onClose(() -> closed.set(true))), 0)
			.thenRequest(3)
			.expectNext(0, 1, 2)
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		await().untilTrue(closed);
		await().until(() -> offloader.stats().active() == 0);
	}

	@Test
	void shutdownDrainsShortCallsCancelsLongOnesAndRefusesNewOnes() throws Exception {
		Offloader offloader = Offloader.builder().build();
		CountDownLatch releaseShort = new CountDownLatch(1);
		CompletableFuture<String> shortCall = offloader.future(() -> {
			releaseShort.await();
			return "short";
		});
		CompletableFuture<String> longCall = offloader.named("Legacy.export").future(() -> {
			new CountDownLatch(1).await();
			return "never";
		});
		await().until(() -> offloader.stats().active() == 2);
		Offloader shutdown = offloader;
		shutdown.beginShutdown();
		assertThatExceptionOfType(ShuttingDownException.class).isThrownBy(() -> offloader.future(() -> 1))
			.withMessageContaining("bridge is shutting down");
		CompletableFuture<ShutdownReport> report = CompletableFuture
			.supplyAsync(() -> shutdown.finishShutdown(Duration.ofMillis(300)));
		releaseShort.countDown();
		assertThat(shortCall.get(10, TimeUnit.SECONDS)).isEqualTo("short");
		// CompletableFuture.get rethrows a CancellationException as itself up to JDK 21,
		// and wraps it in a new one (as the cause) from JDK 23 on
		assertThatThrownBy(() -> longCall.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class)
			.satisfies((ex) -> assertThat((ex instanceof CancelledByShutdownException) ? ex : ex.getCause())
				.isInstanceOf(CancelledByShutdownException.class)
				.hasMessageContaining("Legacy.export"));
		assertThat(report.get(10, TimeUnit.SECONDS)).satisfies((r) -> {
			assertThat(r.drained()).isEqualTo(1);
			assertThat(r.cancelled()).isEqualTo(1);
			assertThat(r.oldestCancelled()).containsExactly("Legacy.export");
		});
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().startsWith("bridge-offload-default-"));
	}

	@Test
	void noPlatformPoolThreadOutlivesTheShutdown() throws Exception {
		for (int i = 0; i < 200; i++) {
			String pool = "closing" + i;
			Offloader offloader = Offloader.builder()
				.pool(pool, (spec) -> spec.threads(ThreadMode.PLATFORM).maxConcurrency(4))
				.build();
			List<CompletableFuture<Integer>> calls = new ArrayList<>();
			for (int call = 0; call < 4; call++) {
				int value = call;
				calls.add(offloader.pool(pool).future(() -> value));
			}
			for (int call = 0; call < 4; call++) {
				assertThat(calls.get(call).get(10, TimeUnit.SECONDS)).isEqualTo(call);
			}
			Offloader shutdown = offloader;
			shutdown.beginShutdown();
			shutdown.finishShutdown(Duration.ofSeconds(1));
			assertThat(Thread.getAllStackTraces().keySet()).as("threads of pool %s alive after its shutdown", pool)
				.noneMatch((thread) -> thread.getName().startsWith("bridge-offload-" + pool + "-"));
		}
	}

	@Test
	void waitingOnAnOffloadedResultFromTheLoopFailsFastInsteadOfDeadlocking() {
		Offloader offloader = offloader(Offloader.builder());
		try (LoopRunner loop = LoopRunner.create()) {
			Throwable failure = loop.call(() -> {
				CompletableFuture<String> future = offloader.future(() -> "never seen");
				try {
					future.get(5, TimeUnit.SECONDS);
					return null;
				}
				catch (LoopDeadlockException ex) {
					return ex;
				}
			});
			assertThat(failure).isInstanceOf(LoopDeadlockException.class)
				.hasMessageContaining("get(timeout) on the future of offloaded future(Callable) (pool 'default')")
				.hasMessageContaining("non-blocking thread '" + loop.stats().name() + "'");
		}
	}

	@Test
	void fluxCalledFromAWorkerOfItsOwnFullPoolRunsInlineInsteadOfQueueingBehindItsCaller() throws Exception {
		Offloader offloader = offloader(
				Offloader.builder().defaultPool((pool) -> pool.threads(ThreadMode.PLATFORM).maxConcurrency(1)));
		List<String> items = offloader
			.future(() -> offloader
				.flux(() -> IntStream.range(0, 3).mapToObj((i) -> i + "@" + Thread.currentThread().getName()))
				.collectList()
				.block(Duration.ofSeconds(5)))
			.get(10, TimeUnit.SECONDS);
		assertThat(items).hasSize(3).allSatisfy((item) -> assertThat(item).contains("@bridge-offload-default-"));
	}

	@Test
	void durationsTooLargeForTheTimersAreRefusedNamingTheSetting() {
		Duration huge = Duration.ofDays(300_000);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Offloader.builder().defaultPool((pool) -> pool.timeout(huge)))
			.withMessage("timeout is too large: " + huge + " does not fit in 64-bit nanoseconds (about 292 years)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Offloader.builder().pool("jdbc", (pool) -> pool.stallThreshold(huge)))
			.withMessageStartingWith("stallThreshold is too large: " + huge);
		assertThatIllegalArgumentException().isThrownBy(() -> Offloader.builder().shutdownTimeout(huge))
			.withMessageStartingWith("shutdownTimeout is too large: " + huge);
		Offloader offloader = offloader(Offloader.builder());
		assertThatIllegalArgumentException().isThrownBy(() -> offloader.timeout(huge))
			.withMessageStartingWith("timeout is too large: " + huge);
		Duration longest = Duration.ofNanos(Long.MAX_VALUE);
		assertThat(offloader.timeout(longest)).isNotNull();
		assertThatNoException().isThrownBy(() -> Offloader.builder()
			.defaultPool((pool) -> pool.timeout(longest).stallThreshold(longest))
			.shutdownTimeout(longest));
	}

	@Test
	void poolSpecRejectsInvalidValues() {
		assertThatThrownBy(() -> Offloader.builder().defaultPool((pool) -> pool.maxConcurrency(0)))
			.hasMessageContaining("maxConcurrency must be positive but was 0");
		assertThatThrownBy(() -> Offloader.builder().defaultPool((pool) -> pool.queueCapacity(-1)))
			.hasMessageContaining("queueCapacity must not be negative but was -1");
		assertThatThrownBy(() -> Offloader.builder().defaultPool((pool) -> pool.timeout(Duration.ofSeconds(-1))))
			.hasMessageContaining("timeout must not be negative");
		assertThatThrownBy(() -> Offloader.builder().defaultPool((pool) -> pool.stallThreshold(Duration.ofSeconds(-1))))
			.hasMessageContaining("stallThreshold must not be negative");
	}

	@Test
	void callerCancellationSurfacesAsCancellationException() {
		Offloader offloader = offloader(Offloader.builder());
		CompletableFuture<Object> future = offloader.future(() -> new CountDownLatch(1).await(10, TimeUnit.SECONDS));
		future.cancel(true);
		assertThatThrownBy(future::join).isInstanceOf(CancellationException.class);
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
