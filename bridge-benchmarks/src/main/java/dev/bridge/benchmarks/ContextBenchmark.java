/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scenario 5, context propagation cost: what capturing the caller's MDC, Spring Security
 * context and current Observation, and restoring them around the work, adds to one hop.
 * Measured twice: on one thread (capture, restore, run, restore back: the whole cost with
 * no hand-off noise) and across a real hop to the loop with {@link LoopRunner#call}, each
 * against the same code with {@link ContextCapture#none()}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class ContextBenchmark {

	@Benchmark
	public Object wrapAndRunWithoutContext(CallerContext caller) throws Exception {
		return ContextCapture.none().wrap(caller.reads).call();
	}

	@Benchmark
	public Object wrapAndRunWithContext(CallerContext caller) throws Exception {
		return caller.capture.wrap(caller.requires).call();
	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	public Object loopHopWithoutContext(CallerContext caller, PlainLoop loop) {
		return loop.runner.call(caller.reads);
	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	public Object loopHopWithContext(CallerContext caller, PropagatingLoop loop) {
		return loop.runner.call(caller.requires);
	}

	/**
	 * The calling thread's context (MDC, security, an open observation scope) and two
	 * tasks that read all three: one fails when a part is missing, so a lost context
	 * shows as a failed run, the other (for the runs that carry nothing) does not.
	 */
	@State(Scope.Thread)
	public static class CallerContext {

		final Callable<Object> requires = RequestContext::requireComplete;

		final Callable<Object> reads = RequestContext::read;

		ContextCapture capture;

		private RequestContext context;

		@Setup(Level.Iteration)
		public void enter() {
			RequestContext.registerAccessors();
			this.capture = ContextCapture.of(true);
			this.context = RequestContext.enter();
		}

		@TearDown(Level.Iteration)
		public void leave() {
			this.context.close();
		}

	}

	/** A loop runner that carries no context. */
	@State(Scope.Benchmark)
	public static class PlainLoop {

		LoopRunner runner;

		@Setup
		public void start() {
			this.runner = LoopRunner.create();
		}

		@TearDown
		public void stop() {
			this.runner.close();
		}

	}

	/** A loop runner that carries MDC, security and observation context to the loop. */
	@State(Scope.Benchmark)
	public static class PropagatingLoop {

		LoopRunner runner;

		@Setup
		public void start() {
			RequestContext.registerAccessors();
			this.runner = LoopRunner.builder().contextCapture(ContextCapture.of(true)).build();
		}

		@TearDown
		public void stop() {
			this.runner.close();
		}

	}

}
