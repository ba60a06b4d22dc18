/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bridge.benchmarks.SpringContexts.AsyncWork;
import dev.bridge.benchmarks.SpringContexts.OffloadedWork;
import dev.bridge.offload.Offloader;
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

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 1, offload overhead: a trivial blocking body run on another thread and awaited
 * by the caller. Bridge's {@code @OffloadBlocking} proxy returning {@code Mono} (default
 * thread mode: virtual threads on Java 21+, and forced to platform threads), the same
 * returning {@code CompletableFuture}, and the bare {@link Offloader}, against
 * hand-written {@code Mono.fromCallable(..).subscribeOn(boundedElastic())} and Spring
 * {@code @Async} returning {@code CompletableFuture}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class OffloadOverheadBenchmark {

	@Benchmark
	public Integer bridgeOffloadBlockingMono(DefaultBridge bridge) {
		return bridge.work.increment(bridge.value).block();
	}

	@Benchmark
	public Integer bridgeOffloadBlockingMonoPlatform(PlatformBridge bridge) {
		return bridge.work.increment(bridge.value).block();
	}

	@Benchmark
	public Integer bridgeOffloadBlockingFuture(DefaultBridge bridge) {
		return bridge.work.incrementFuture(bridge.value).join();
	}

	@Benchmark
	public Integer bridgeOffloaderMono(DefaultBridge bridge) {
		int value = bridge.value;
		return bridge.offloader.mono(() -> value + 1).block();
	}

	@Benchmark
	public Integer bridgeOffloaderMonoOnElasticExecutor(ElasticOffloader bridge) {
		int value = bridge.value;
		return bridge.offloader.mono(() -> value + 1).block();
	}

	@Benchmark
	public Integer reactorBoundedElastic(DefaultBridge bridge) {
		int value = bridge.value;
		return Mono.fromCallable(() -> value + 1).subscribeOn(Schedulers.boundedElastic()).block();
	}

	@Benchmark
	public Integer springAsync(DefaultBridge bridge) {
		return bridge.async.increment(bridge.value).join();
	}

	/** The benchmark application and the beans called through their proxies. */
	abstract static class Application {

		final int value = 41;

		ConfigurableApplicationContext context;

		OffloadedWork work;

		AsyncWork async;

		Offloader offloader;

		void start(Map<String, Object> properties) {
			this.context = SpringContexts.start(properties);
			this.work = this.context.getBean(OffloadedWork.class);
			this.async = this.context.getBean(AsyncWork.class);
			this.offloader = this.context.getBean(Offloader.class);
		}

		void stop() {
			this.context.close();
		}

	}

	/** The application with Bridge's default settings. */
	@State(Scope.Benchmark)
	public static class DefaultBridge extends Application {

		@Setup
		public void setUp() {
			start(Map.of());
		}

		@TearDown
		public void tearDown() {
			stop();
		}

	}

	/** The application with {@code bridge.offload.threads=platform}. */
	@State(Scope.Benchmark)
	public static class PlatformBridge extends Application {

		@Setup
		public void setUp() {
			start(Map.of("bridge.offload.threads", "platform"));
		}

		@TearDown
		public void tearDown() {
			stop();
		}

	}

	/**
	 * A core-only offloader whose pool runs calls on Reactor's {@code boundedElastic()}
	 * workers instead of its own threads.
	 */
	@State(Scope.Benchmark)
	public static class ElasticOffloader {

		final int value = 41;

		Offloader offloader;

		@Setup
		public void setUp() {
			this.offloader = Offloader.builder()
				.defaultPool((pool) -> pool.executor((task) -> Schedulers.boundedElastic().schedule(task)))
				.build();
		}

		@TearDown
		public void tearDown() {
			JdkThreads.shutdown(this.offloader);
		}

	}

}
