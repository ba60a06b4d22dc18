/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.offload.OffloadStats;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An {@link Offloader} that tells a {@link BridgeRecorder} about every call it passes to
 * the offloader it wraps. Its lifecycle is the wrapped offloader's.
 */
final class RecordingOffloader implements Offloader {

	private final Offloader delegate;

	private final BridgeRecorder recorder;

	private final @Nullable String name;

	private final String pool;

	RecordingOffloader(Offloader delegate, BridgeRecorder recorder) {
		this(delegate, recorder, null);
	}

	private RecordingOffloader(Offloader delegate, BridgeRecorder recorder, @Nullable String name) {
		this.delegate = delegate;
		this.recorder = recorder;
		this.pool = delegate.stats().pool();
		this.name = name;
	}

	private String nameOr(String operation) {
		return (this.name != null) ? this.name : operation;
	}

	BridgeRecorder recorder() {
		return this.recorder;
	}

	@Override
	public <T> Mono<T> mono(Callable<T> blocking) {
		return Mono.defer(() -> {
			Tracked tracked = this.recorder.begin(nameOr("mono(Callable)"), this.pool, null);
			try {
				return this.delegate.mono(this.recorder.body(tracked, blocking))
					.doFinally((signal) -> tracked.settle());
			}
			catch (RuntimeException | Error ex) {
				tracked.settle();
				throw ex;
			}
		});
	}

	@Override
	public <T> CompletableFuture<T> future(Callable<T> blocking) {
		Tracked tracked = this.recorder.begin(nameOr("future(Callable)"), this.pool, null);
		CompletableFuture<T> result;
		try {
			result = this.delegate.future(this.recorder.body(tracked, blocking));
		}
		catch (RuntimeException | Error ex) {
			tracked.settle();
			throw ex;
		}
		result.whenComplete((value, failure) -> tracked.settle());
		return result;
	}

	@Override
	public <T> Flux<T> flux(Callable<? extends Stream<T>> blocking) {
		return Flux.defer(() -> {
			Tracked tracked = this.recorder.begin(nameOr("flux(Callable)"), this.pool, null);
			try {
				return this.delegate.flux(this.recorder.body(tracked, blocking))
					.doFinally((signal) -> tracked.settle());
			}
			catch (RuntimeException | Error ex) {
				tracked.settle();
				throw ex;
			}
		});
	}

	@Override
	public Offloader pool(String name) {
		return new RecordingOffloader(this.delegate.pool(name), this.recorder, this.name);
	}

	@Override
	public Offloader timeout(Duration timeout) {
		return new RecordingOffloader(this.delegate.timeout(timeout), this.recorder, this.name);
	}

	@Override
	public Offloader named(String name) {
		return new RecordingOffloader(this.delegate.named(name), this.recorder, name);
	}

	@Override
	public Set<String> poolNames() {
		return this.delegate.poolNames();
	}

	@Override
	public OffloadStats stats() {
		return this.delegate.stats();
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
	public void close() {
		this.delegate.close();
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
