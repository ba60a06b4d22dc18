/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.ThreadMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Scenario 3, fan-out of slow blocking calls: the wall time for 10,000 calls that each
 * block 50 ms, all started at once, to finish. Bridge's {@link Offloader} on virtual
 * threads (Java 21+) and on platform threads, each admitting all 10,000 at once, against
 * Reactor's {@code boundedElastic()} with its defaults (ten threads per core), a fixed
 * pool of 200 platform threads, and the JDK's bare virtual-thread-per-task executor (the
 * floor for virtual threads). The limit is 50 ms.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
public class FanOutBenchmark {

	static final int CALLS = 10_000;

	static final long BLOCK_MILLIS = 50;

	@Benchmark
	public Object bridgeVirtual(VirtualOffloader state) {
		return fanOut((call) -> state.offloader.future(() -> {
			call.run();
			return null;
		}));
	}

	@Benchmark
	public Object bridgePlatform(PlatformOffloader state) {
		return fanOut((call) -> state.offloader.future(() -> {
			call.run();
			return null;
		}));
	}

	@Benchmark
	public Object boundedElasticDefaults() {
		return fanOut((call) -> Mono.fromRunnable(call).subscribeOn(Schedulers.boundedElastic()).toFuture());
	}

	@Benchmark
	public Object fixedPool200(FixedPool state) {
		return fanOut((call) -> CompletableFuture.runAsync(call, state.executor));
	}

	@Benchmark
	public Object jdkVirtualPerTask(VirtualPerTask state) {
		return fanOut((call) -> CompletableFuture.runAsync(call, state.executor));
	}

	/** Starts all calls, then waits for every one of them. */
	private static Object fanOut(Function<Runnable, CompletableFuture<?>> start) {
		CompletableFuture<?>[] calls = new CompletableFuture<?>[CALLS];
		for (int i = 0; i < CALLS; i++) {
			calls[i] = start.apply(FanOutBenchmark::block);
		}
		return CompletableFuture.allOf(calls).join();
	}

	private static void block() {
		try {
			Thread.sleep(BLOCK_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** An offloader admitting every call at once on virtual threads. */
	@State(Scope.Benchmark)
	public static class VirtualOffloader {

		Offloader offloader;

		@Setup
		public void start() {
			this.offloader = JdkThreads.offloader(ThreadMode.VIRTUAL, CALLS);
		}

		@TearDown
		public void stop() {
			JdkThreads.shutdown(this.offloader);
		}

	}

	/** An offloader admitting every call at once on platform threads. */
	@State(Scope.Benchmark)
	public static class PlatformOffloader {

		Offloader offloader;

		@Setup
		public void start() {
			this.offloader = JdkThreads.offloader(ThreadMode.PLATFORM, CALLS);
		}

		@TearDown
		public void stop() {
			JdkThreads.shutdown(this.offloader);
		}

	}

	/** {@code Executors.newFixedThreadPool(200)}. */
	@State(Scope.Benchmark)
	public static class FixedPool {

		ExecutorService executor;

		@Setup
		public void start() {
			this.executor = Executors.newFixedThreadPool(200);
		}

		@TearDown
		public void stop() {
			this.executor.shutdownNow();
		}

	}

	/** {@code Executors.newVirtualThreadPerTaskExecutor()}. */
	@State(Scope.Benchmark)
	public static class VirtualPerTask {

		ExecutorService executor;

		@Setup
		public void start() {
			this.executor = JdkThreads.newVirtualThreadPerTaskExecutor();
		}

		@TearDown
		public void stop() {
			this.executor.shutdownNow();
		}

	}

}
