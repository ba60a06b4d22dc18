/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.bridge.lifecycle.ShutdownReport;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The view {@link LoopRunner#named(String)} returns: the runner's work submitted through
 * it carries one name; everything else is the runner's.
 */
final class NamedLoopRunner implements LoopRunner {

	private final DefaultLoopRunner runner;

	private final String name;

	NamedLoopRunner(DefaultLoopRunner runner, String name) {
		this.runner = runner;
		this.name = name;
	}

	@Override
	public <T> @Nullable T run(Mono<T> work) {
		return this.runner.run(work, null, this.name);
	}

	@Override
	public <T> @Nullable T run(Mono<T> work, Duration timeout) {
		return this.runner.run(work, timeout, this.name);
	}

	@Override
	public <T> @Nullable T call(Callable<T> task) {
		return this.runner.call(task, this.name);
	}

	@Override
	public <T> CompletableFuture<T> submit(Mono<T> work) {
		return this.runner.submit(work, this.name);
	}

	@Override
	public <T> Stream<T> stream(Publisher<T> source) {
		return this.runner.stream(source, this.name);
	}

	@Override
	public <R> R manage(Mono<R> open, Function<? super R, ? extends Publisher<Void>> close) {
		return this.runner.manage(open, close, this.name);
	}

	@Override
	public Scheduler scheduler() {
		return this.runner.scheduler();
	}

	@Override
	public LoopRunner named(String name) {
		return this.runner.named(name);
	}

	@Override
	public boolean inLoop() {
		return this.runner.inLoop();
	}

	@Override
	public LoopStats stats() {
		return this.runner.stats();
	}

	@Override
	public void pause() {
		this.runner.pause();
	}

	@Override
	public int awaitQuiescence(Duration budget) {
		return this.runner.awaitQuiescence(budget);
	}

	@Override
	public int resume() {
		return this.runner.resume();
	}

	@Override
	public void beginShutdown() {
		this.runner.beginShutdown();
	}

	@Override
	public ShutdownReport finishShutdown(Duration drainBudget) {
		return this.runner.finishShutdown(drainBudget);
	}

	@Override
	public void close() {
		this.runner.close();
	}

}
