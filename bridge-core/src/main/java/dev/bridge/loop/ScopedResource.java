/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

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
		if (this.closed.compareAndSet(false, true)) {
			this.loop.run(Mono.defer(() -> Mono.from(this.closer.apply(this.resource, failure))).then());
		}
	}

	@Override
	public String toString() {
		return "Scoped[" + this.resource + "]";
	}

}
