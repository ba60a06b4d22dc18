/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntUnaryOperator;

import dev.bridge.benchmarks.Interleaved.Bar;
import dev.bridge.benchmarks.Interleaved.Variant;
import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.security.core.context.SecurityContext;

/**
 * What {@link ContextBenchmark} measures, with each variant alternating with its baseline
 * in one JVM ({@link Interleaved}): capturing the caller's MDC, Spring Security context
 * and current Observation and restoring them around the work, on one thread and across a
 * hop to the loop; the copy of the {@code SecurityContext}; the loop's reset of the
 * registered thread-locals after each task; a raw task on the loop's scheduler. The
 * baselines carry nothing, and Spring's own {@link ContextPropagatingTaskDecorator} does
 * the same job on one thread and on a single-thread {@link ThreadPoolTaskExecutor}. The
 * propagating variants fail when a part of the context is missing on the other side.
 * <p>
 * Run with {@code bridge-benchmarks/run.sh --only interleaved-context}, or directly:
 * {@code java -cp <classpath> dev.bridge.benchmarks.ContextComparison [rounds]
 * [callsPerCaller]}. Prints Markdown.
 */
public final class ContextComparison {

	/** Calls under a microsecond are timed this many at a time. */
	private static final int CALLS_PER_SAMPLE = 100;

	private static final Bar BAR = Bar.addedBelow(1);

	private ContextComparison() {
	}

	/**
	 * Runs the comparison and prints the tables.
	 * @param args rounds (default 21) and calls per caller per batch (default 2,000; ten
	 * times as many for the same-thread variants)
	 * @throws Exception when a variant fails or loses the context
	 */
	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 21;
		int calls = (args.length > 1) ? Integer.parseInt(args[1]) : 2_000;
		ContextBenchmark benchmark = new ContextBenchmark();
		ContextBenchmark.CallerContext caller = new ContextBenchmark.CallerContext();
		ContextBenchmark.CleanThread clean = new ContextBenchmark.CleanThread();
		clean.start();
		ContextBenchmark.PlainLoop plain = new ContextBenchmark.PlainLoop();
		plain.start();
		ContextBenchmark.PropagatingLoop propagating = new ContextBenchmark.PropagatingLoop();
		propagating.start();
		RequestContext.registerAccessors();
		ContextPropagatingTaskDecorator decorator = new ContextPropagatingTaskDecorator();
		LoopRunner copyingLoop = LoopRunner.builder()
			.contextCapture(ContextCapture.of(true)
				.copying(SecurityContext.class.getName(), ContextBenchmark.CallerContext::copy))
			.build();
		ThreadPoolTaskExecutor plainExecutor = singleThread(null);
		ThreadPoolTaskExecutor decoratedExecutor = singleThread(decorator);
		System.out.printf(Locale.ROOT, "%nJava %s, %d rounds; MDC (2 entries), an authenticated SecurityContext and an "
				+ "open Observation on the caller%n", System.getProperty("java.version"), rounds);
		try (Interleaved sameThread = new Interleaved(1, rounds, calls * 10, CALLS_PER_SAMPLE, caller::enter);
				Interleaved cleanThread = new Interleaved(1, rounds, calls * 10, CALLS_PER_SAMPLE, () -> {
				});
				Interleaved hops = new Interleaved(1, rounds, calls, 1, caller::enter)) {
			sameThread.compare("Context on one thread: capture, restore, run, restore back",
					List.of(new Variant("baseline: `ContextCapture.none()`",
							of(() -> benchmark.wrapAndRunWithoutContext(caller))),
							new Variant("Bridge `ContextCapture.of(true)`",
									of(() -> benchmark.wrapAndRunWithContext(caller)), BAR),
							new Variant("Bridge, `SecurityContext` copied (as auto-configured with Spring Security)",
									of(() -> benchmark.wrapAndRunWithCopiedSecurityContext(caller)), BAR),
							new Variant("Spring `ContextPropagatingTaskDecorator`", (i) -> {
								decorator.decorate(RequestContext::requireComplete).run();
								return i;
							})));
			cleanThread.compare("Reset of the registered thread-locals after a task, on a thread that holds none",
					List.of(new Variant("baseline: `ContextCapture.none().clearThreadLocals()`", (i) -> {
						benchmark.resetAfterTaskWithoutContext(clean);
						return i;
					}), new Variant("Bridge `clearThreadLocals()` (after every loop and worker task)", (i) -> {
						benchmark.resetAfterTaskNothingLeft(clean);
						return i;
					})));
			hops.compare("One hop to the loop, `LoopRunner.call`",
					List.of(new Variant("baseline: a loop that carries nothing",
							of(() -> benchmark.loopHopWithoutContext(caller, plain))),
							new Variant("Bridge: a loop that carries the context",
									of(() -> benchmark.loopHopWithContext(caller, propagating)), BAR),
							new Variant("Bridge: the same, `SecurityContext` copied",
									of(() -> copyingLoop.call(RequestContext::requireComplete)), BAR)));
			hops.compare("A raw task on the loop's scheduler, awaited by spinning",
					List.of(new Variant("baseline: a loop that carries nothing",
							of(() -> benchmark.rawLoopTaskWithoutContext(caller, plain) ? 1 : 0)),
							new Variant("Bridge: a loop that carries the context (and resets after the task)",
									of(() -> benchmark.rawLoopTaskWithContext(caller, propagating) ? 1 : 0), BAR)));
			hops.compare("One hop to a single-thread Spring `ThreadPoolTaskExecutor`",
					List.of(new Variant("baseline: no task decorator",
							(i) -> CompletableFuture.supplyAsync(RequestContext::read, plainExecutor).join()),
							new Variant("Spring `ContextPropagatingTaskDecorator`",
									(i) -> CompletableFuture
										.supplyAsync(RequestContext::requireComplete, decoratedExecutor)
										.join())));
		}
		finally {
			decoratedExecutor.shutdown();
			plainExecutor.shutdown();
			copyingLoop.close();
			propagating.stop();
			plain.stop();
		}
	}

	private static ThreadPoolTaskExecutor singleThread(@Nullable TaskDecorator decorator) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(1);
		executor.setMaxPoolSize(1);
		executor.setThreadNamePrefix((decorator != null) ? "decorated-" : "plain-");
		if (decorator != null) {
			executor.setTaskDecorator(decorator);
		}
		executor.initialize();
		return executor;
	}

	/** A call that returns a number, as the harness wants it. */
	private static IntUnaryOperator of(Callable<?> call) {
		return (i) -> {
			try {
				return ((Number) call.call()).intValue();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
	}

}
