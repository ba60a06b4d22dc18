/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.bridge.benchmarks.SpringContexts.LoopWork;
import dev.bridge.loop.LoopRunner;
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
 * Scenario 2, sync to loop round trip: a synchronous caller hands a trivial task to
 * another thread and waits for its value. Bridge's {@link LoopRunner#call} and
 * {@link LoopRunner#run(Mono)} and a synchronous {@code @RunOnLoop} bean method against
 * the raw hand-off to a single-thread executor (the practical limit of park/unpark) and
 * Reactor's {@code subscribeOn(single()).block()}. Subclasses fix the number of caller
 * threads. Sample time gives the median and p99.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@State(Scope.Benchmark)
public abstract class RoundTripBenchmark {

	private final Integer value = 42;

	private LoopRunner loop;

	private ExecutorService singleThread;

	@Setup
	public void start() {
		this.loop = LoopRunner.create();
		this.singleThread = Executors.newSingleThreadExecutor();
	}

	@TearDown
	public void stop() {
		this.loop.close();
		this.singleThread.shutdownNow();
	}

	@Benchmark
	public Integer bridgeCall() {
		return this.loop.call(() -> this.value);
	}

	@Benchmark
	public Integer bridgeRunMono() {
		return this.loop.run(Mono.just(this.value));
	}

	@Benchmark
	public Integer bridgeRunOnLoop(SpringLoop spring) {
		return spring.work.echo(this.value);
	}

	@Benchmark
	public Integer rawHandOff() {
		return CompletableFuture.supplyAsync(() -> this.value, this.singleThread).join();
	}

	@Benchmark
	public Integer reactorSingleBlock() {
		return Mono.just(this.value).subscribeOn(Schedulers.single()).block();
	}

	/**
	 * The Spring application whose {@code @RunOnLoop} bean the round trip calls, on
	 * Bridge's {@code bridgeLoopRunner}.
	 */
	@State(Scope.Benchmark)
	public static class SpringLoop {

		ConfigurableApplicationContext context;

		LoopWork work;

		@Setup
		public void start() {
			this.context = SpringContexts.start(Map.of());
			this.work = this.context.getBean(LoopWork.class);
		}

		@TearDown
		public void stop() {
			this.context.close();
		}

	}

}
