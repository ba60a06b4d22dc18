/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The handle {@link LoopRunner#open} returns: closes its resource on the loop, once.
 * Thread-safe.
 *
 * @param <R> the resource type
 */
final class ScopedResource<R> implements LoopRunner.Scoped<R> {

	private final LoopRunner loop;

	private final R resource;

	private final BiFunction<? super R, ? super @Nullable Throwable, ? extends Publisher<Void>> closer;

	private final AtomicBoolean closed = new AtomicBoolean();

	ScopedResource(LoopRunner loop, R resource,
			BiFunction<? super R, ? super @Nullable Throwable, ? extends Publisher<Void>> closer) {
		this.loop = loop;
		this.resource = resource;
		this.closer = closer;
	}

	@Override
	public R resource() {
		return this.resource;
	}

	@Override
	public void close(@Nullable Throwable failure) {
		if (this.closed.get()) {
			return;
		}
		// Refused before the handle counts as closed: a close from a thread that may wait
		// still runs the closer.
		if (Schedulers.isInNonBlockingThread()) {
			throw new LoopDeadlockException("close() of " + this + " was called on the non-blocking thread '"
					+ Thread.currentThread().getName() + "' and would wait there for its closer on the loop; "
					+ "the resource is still open. Close it from a thread that may block, such as the one that opened it");
		}
		if (this.closed.compareAndSet(false, true)) {
			this.loop.run(Mono.defer(() -> Mono.from(this.closer.apply(this.resource, failure))).then());
		}
	}

	@Override
	public String toString() {
		return "Scoped[" + this.resource + "]";
	}

}
