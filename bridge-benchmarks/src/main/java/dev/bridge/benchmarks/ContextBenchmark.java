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

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Scenario 5, context propagation cost: what capturing the caller's MDC, Spring Security
 * context and current Observation, and restoring them around the work, adds to one hop.
 * Measured twice: on one thread (capture, restore, run, restore back: the whole cost with
 * no hand-off noise) and across a real hop to the loop with {@link LoopRunner#call}, each
 * against the same code with {@link ContextCapture#none()}.
 * <p>
 * Isolation (issue 20) adds three costs, each measured next to its baseline: the copy of
 * the {@code SecurityContext} each hop restores ({@code wrapAndRunWithContext} against
 * {@code wrapAndRunWithCopiedSecurityContext}), the reset of the registered thread-locals
 * after every loop and worker task, on a thread that holds none (the usual case), and a
 * raw task on the loop ({@code LoopRunner.scheduler()}), which now runs under the context
 * of the thread that scheduled it and is followed by the reset.
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
	public Object wrapAndRunWithCopiedSecurityContext(CallerContext caller) throws Exception {
		return caller.copyingCapture.wrap(caller.requires).call();
	}

	@Benchmark
	public void resetAfterTaskNothingLeft(CleanThread thread) {
		thread.capture.clearThreadLocals();
	}

	@Benchmark
	public void resetAfterTaskWithoutContext(CleanThread thread) {
		ContextCapture.none().clearThreadLocals();
	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	public boolean rawLoopTaskWithoutContext(CallerContext caller, PlainLoop loop) {
		return RawTask.runOn(loop.runner);
	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	public boolean rawLoopTaskWithContext(CallerContext caller, PropagatingLoop loop) {
		return RawTask.runOn(loop.runner);
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

		/** As Bridge's auto-configuration builds it when Spring Security is present. */
		ContextCapture copyingCapture;

		private RequestContext context;

		@Setup(Level.Iteration)
		public void enter() {
			RequestContext.registerAccessors();
			this.capture = ContextCapture.of(true);
			this.copyingCapture = this.capture.copying(SecurityContext.class.getName(), CallerContext::copy);
			this.context = RequestContext.enter();
		}

		/** The copy the auto-configuration's {@code SecurityContextCopy} makes. */
		static Object copy(Object value) {
			SecurityContext copy = SecurityContextHolder.createEmptyContext();
			copy.setAuthentication(((SecurityContext) value).getAuthentication());
			return copy;
		}

		@TearDown(Level.Iteration)
		public void leave() {
			this.context.close();
		}

	}

	/** A thread that holds no context, as the loop and a worker do between tasks. */
	@State(Scope.Thread)
	public static class CleanThread {

		ContextCapture capture;

		@Setup
		public void start() {
			RequestContext.registerAccessors();
			this.capture = ContextCapture.of(true);
		}

	}

	/** A raw task on the loop's scheduler, awaited by spinning (no park in the way). */
	static final class RawTask implements Runnable {

		private volatile boolean done;

		@Override
		public void run() {
			this.done = true;
		}

		static boolean runOn(LoopRunner runner) {
			RawTask task = new RawTask();
			runner.scheduler().schedule(task);
			while (!task.done) {
				Thread.onSpinWait();
			}
			return true;
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
