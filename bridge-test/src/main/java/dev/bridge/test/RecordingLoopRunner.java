/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopStats;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link LoopRunner} that tells a {@link BridgeRecorder} about every piece of work it
 * passes to the runner it wraps. Its loop, scheduler and lifecycle are the wrapped
 * runner's.
 */
final class RecordingLoopRunner implements LoopRunner {

	private final LoopRunner delegate;

	private final BridgeRecorder recorder;

	private final @Nullable String name;

	private final String loop;

	RecordingLoopRunner(LoopRunner delegate, BridgeRecorder recorder) {
		this(delegate, recorder, null);
	}

	private RecordingLoopRunner(LoopRunner delegate, BridgeRecorder recorder, @Nullable String name) {
		this.delegate = delegate;
		this.recorder = recorder;
		this.loop = delegate.stats().name();
		this.name = name;
	}

	private String nameOr(String operation) {
		return (this.name != null) ? this.name : operation;
	}

	BridgeRecorder recorder() {
		return this.recorder;
	}

	@Override
	public <T> @Nullable T run(Mono<T> work) {
		Tracked tracked = this.recorder.begin(nameOr("run(Mono)"), null, this.loop);
		try {
			return this.delegate.run(subscribed(tracked, work));
		}
		finally {
			tracked.settle();
		}
	}

	@Override
	public <T> @Nullable T run(Mono<T> work, Duration timeout) {
		Tracked tracked = this.recorder.begin(nameOr("run(Mono)"), null, this.loop);
		try {
			return this.delegate.run(subscribed(tracked, work), timeout);
		}
		finally {
			tracked.settle();
		}
	}

	@Override
	public <T> @Nullable T call(Callable<T> task) {
		Tracked tracked = this.recorder.begin(nameOr("call(Callable)"), null, this.loop);
		try {
			return this.delegate.call(this.recorder.body(tracked, task));
		}
		finally {
			tracked.settle();
		}
	}

	@Override
	public <T> CompletableFuture<T> submit(Mono<T> work) {
		Tracked tracked = this.recorder.begin(nameOr("submit(Mono)"), null, this.loop);
		CompletableFuture<T> result;
		try {
			result = this.delegate.submit(subscribed(tracked, work));
		}
		catch (RuntimeException | Error ex) {
			tracked.settle();
			throw ex;
		}
		result.whenComplete((value, failure) -> tracked.settle());
		return result;
	}

	@Override
	public <T> Stream<T> stream(Publisher<T> source) {
		Tracked tracked = this.recorder.begin(nameOr("stream(Publisher)"), null, this.loop);
		Flux<T> recorded = Flux.defer(() -> {
			this.recorder.started(tracked);
			return source;
		}).doFinally((signal) -> {
			tracked.ended();
			tracked.settle();
		});
		try {
			return this.delegate.stream(recorded).onClose(tracked::settle);
		}
		catch (RuntimeException | Error ex) {
			tracked.settle();
			throw ex;
		}
	}

	/** The work, recorded as running from its subscription until it terminates. */
	private <T> Mono<T> subscribed(Tracked tracked, Mono<T> work) {
		return Mono.defer(() -> {
			this.recorder.started(tracked);
			return work;
		}).doFinally((signal) -> tracked.ended());
	}

	@Override
	public <R> R manage(Mono<R> open, Function<? super R, ? extends Publisher<Void>> close) {
		return this.delegate.manage(open, close);
	}

	@Override
	public LoopRunner named(String name) {
		return new RecordingLoopRunner(this.delegate.named(name), this.recorder, name);
	}

	@Override
	public Scheduler scheduler() {
		return this.delegate.scheduler();
	}

	@Override
	public boolean inLoop() {
		return this.delegate.inLoop();
	}

	@Override
	public LoopStats stats() {
		return this.delegate.stats();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

	@Override
	public void pause() {
		this.delegate.pause();
	}

	@Override
	public int awaitQuiescence(Duration budget) {
		return this.delegate.awaitQuiescence(budget);
	}

	@Override
	public int resume() {
		return this.delegate.resume();
	}

	@Override
	public void beginShutdown() {
		this.delegate.beginShutdown();
	}

	@Override
	public ShutdownReport finishShutdown(Duration drainBudget) {
		return this.delegate.finishShutdown(drainBudget);
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
