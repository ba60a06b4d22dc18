/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bridge.loop.LoopRunner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Scenario 4, stream bridging: a synchronous consumer iterating ten million items of
 * {@code Flux.range}. Bridge's {@link LoopRunner#stream}, where the source emits on the
 * loop thread, against Reactor's {@code toStream()} on the same source, which emits on
 * the consumer's own thread (no hand-off at all), and against {@code toStream()} of the
 * source moved to another thread with {@code subscribeOn}, the like-for-like hand-off.
 * Scores are items per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(StreamBenchmark.ITEMS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@State(Scope.Benchmark)
public class StreamBenchmark {

	static final int ITEMS = 10_000_000;

	private LoopRunner loop;

	private Scheduler otherThread;

	@Setup
	public void start() {
		this.loop = LoopRunner.create();
		this.otherThread = Schedulers.newSingle("stream-source");
	}

	@TearDown
	public void stop() {
		this.loop.close();
		this.otherThread.dispose();
	}

	@Benchmark
	public long bridgeStream() {
		try (Stream<Integer> items = this.loop.stream(Flux.range(0, ITEMS))) {
			return sum(items);
		}
	}

	@Benchmark
	public long fluxToStream() {
		try (Stream<Integer> items = Flux.range(0, ITEMS).toStream()) {
			return sum(items);
		}
	}

	@Benchmark
	public long fluxToStreamFromOtherThread() {
		try (Stream<Integer> items = Flux.range(0, ITEMS).subscribeOn(this.otherThread).toStream()) {
			return sum(items);
		}
	}

	private static long sum(Stream<Integer> items) {
		return items.mapToLong(Integer::longValue).sum();
	}

}
