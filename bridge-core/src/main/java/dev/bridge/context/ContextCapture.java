/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import io.micrometer.context.ContextAccessor;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Captures the caller's context at the call site and restores it around the work on the
 * thread that runs it, then restores that thread's previous values, so nothing leaks into
 * the next task on a reused thread.
 * <p>
 * "Context" is every {@code ThreadLocalAccessor} registered in Micrometer's
 * {@link ContextRegistry} (Spring Security, Observation and tracing register theirs),
 * values from the reactive contexts passed in, and the SLF4J MDC when enabled. Keys
 * missing from the snapshot are cleared while the work runs. Built on Micrometer's
 * {@link ContextSnapshotFactory}; instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ContextCapture {

	private static final ContextCapture NONE = new ContextCapture(null, null);

	private final @Nullable ContextSnapshotFactory factory;

	private final @Nullable ContextRegistry registry;

	private ContextCapture(@Nullable ContextSnapshotFactory factory, @Nullable ContextRegistry registry) {
		this.factory = factory;
		this.registry = registry;
	}

	/**
	 * A capture over the global {@link ContextRegistry}.
	 * @param mdc whether to carry the SLF4J MDC along (registers Micrometer's MDC
	 * accessor in the global registry when missing); when false, MDC is neither carried
	 * nor cleared
	 * @return the capture
	 */
	public static ContextCapture of(boolean mdc) {
		return of(ContextRegistry.getInstance(), mdc);
	}

	/**
	 * A capture over the given registry.
	 * @param registry the registry whose accessors are captured
	 * @param mdc whether to carry the SLF4J MDC along
	 * @return the capture
	 */
	public static ContextCapture of(ContextRegistry registry, boolean mdc) {
		if (mdc && registry.getThreadLocalAccessors()
			.stream()
			.noneMatch((accessor) -> Slf4jThreadLocalAccessor.KEY.equals(accessor.key()))) {
			registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
		}
		Predicate<Object> keys = mdc ? (key) -> true : (key) -> !Slf4jThreadLocalAccessor.KEY.equals(key);
		return new ContextCapture(ContextSnapshotFactory.builder()
			.contextRegistry(registry)
			.clearMissing(true)
			.captureKeyPredicate(keys)
			.build(), registry);
	}

	/**
	 * A capture that carries nothing: work runs with whatever the executing thread has.
	 * @return the no-op capture
	 */
	public static ContextCapture none() {
		return NONE;
	}

	/**
	 * Wraps {@code task} so it runs under the context the calling thread has now, plus
	 * the values in {@code contexts} (for example a Reactor {@code ContextView}).
	 * @param <T> the result type
	 * @param task the work
	 * @param contexts extra context objects to capture from, such as a Reactor
	 * {@code ContextView}
	 * @return the wrapped task, or {@code task} itself when nothing is captured
	 */
	public <T> Callable<T> wrap(Callable<T> task, Object... contexts) {
		if (this.factory == null) {
			return task;
		}
		ContextSnapshot snapshot = this.factory.captureAll(readable(contexts));
		return snapshot.wrap(task);
	}

	/**
	 * Wraps {@code task} like {@link #wrap(Callable, Object...)}.
	 * @param task the work
	 * @param contexts extra context objects to capture from
	 * @return the wrapped task, or {@code task} itself when nothing is captured
	 */
	public Runnable wrap(Runnable task, Object... contexts) {
		if (this.factory == null) {
			return task;
		}
		return this.factory.captureAll(readable(contexts)).wrap(task);
	}

	/**
	 * The contexts the registry has an accessor for. Micrometer refuses to capture from a
	 * context type its registry cannot read (a registry made with
	 * {@code new ContextRegistry()} has no accessor for Reactor's {@code Context}), while
	 * such a context holds nothing this capture would carry: it is left out.
	 */
	private Object[] readable(Object[] contexts) {
		if (contexts.length == 0 || this.registry == null) {
			return contexts;
		}
		List<Object> readable = new ArrayList<>(contexts.length);
		for (Object context : contexts) {
			for (ContextAccessor<?, ?> accessor : this.registry.getContextAccessors()) {
				if (accessor.readableType().isInstance(context)) {
					readable.add(context);
					break;
				}
			}
		}
		return (readable.size() == contexts.length) ? contexts : readable.toArray();
	}

}
