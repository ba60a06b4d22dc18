/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.micrometer.context.ContextAccessor;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
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
 * <p>
 * Isolation: a value registered with {@link #copying(Object, UnaryOperator)} (Spring
 * Security's {@code SecurityContext} in a Spring application) is copied each time it is
 * restored, so a task that changes it changes only its own copy, never its caller's or a
 * sibling's. {@link #clearThreadLocals()} resets what a task left behind on a thread
 * Bridge owns.
 *
 * @since 0.1.0
 */
public final class ContextCapture {

	private static final ContextCapture NONE = new ContextCapture(null, new ContextRegistry(), (key) -> false);

	/** Passes over an accessor whose {@code restore()} never clears it. */
	private static final int MAX_RESTORES = 64;

	private final @Nullable ContextSnapshotFactory factory;

	private final ContextRegistry registry;

	private final Predicate<Object> keys;

	private ContextCapture(@Nullable ContextSnapshotFactory factory, ContextRegistry registry, Predicate<Object> keys) {
		this.factory = factory;
		this.registry = registry;
		this.keys = keys;
	}

	private static ContextCapture create(ContextRegistry registry, Predicate<Object> keys) {
		return new ContextCapture(ContextSnapshotFactory.builder()
			.contextRegistry(registry)
			.clearMissing(true)
			.captureKeyPredicate(keys)
			.build(), registry, keys);
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
		return create(registry, keys);
	}

	/**
	 * This capture, except that the value of the thread-local accessor with {@code key}
	 * is restored as a copy made by {@code copy} each time a task starts (a hop), so what
	 * the task does to it stays with the task. The caller's value is never handed to
	 * another thread.
	 * @param key the key of a {@link ThreadLocalAccessor} in the registry, such as
	 * {@code "org.springframework.security.core.context.SecurityContext"}
	 * @param copy makes an independent copy of a value
	 * @return the copying capture, or this one when it captures nothing
	 */
	public ContextCapture copying(Object key, UnaryOperator<Object> copy) {
		if (this.factory == null) {
			return this;
		}
		return create(new CopyingRegistry(this.registry, key, copy), this.keys);
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
		if (contexts.length == 0) {
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

	/**
	 * An executor that runs each task on {@code executor} under the context the calling
	 * thread has now, plus the values in {@code contexts}: for the later parts of one
	 * caller's work (a returned publisher's subscription and requests), wherever and
	 * whenever they are scheduled.
	 * @param executor the executor that runs the tasks
	 * @param contexts extra context objects to capture from, such as a Reactor
	 * {@code ContextView}
	 * @return the capturing executor, or {@code executor} itself when nothing is captured
	 */
	public Executor wrap(Executor executor, Object... contexts) {
		if (this.factory == null) {
			return executor;
		}
		return this.factory.captureAll(readable(contexts)).wrapExecutor(executor);
	}

	/**
	 * Resets, on the calling thread, every registered thread-local that still holds a
	 * value: what a task left behind (an {@code Observation} scope left open, a security
	 * context or MDC entry set and not removed). Bridge calls it after every task on the
	 * threads it owns, the loop and the offload workers, so the next task starts clean.
	 * Thread-locals outside the registry are not touched.
	 */
	public void clearThreadLocals() {
		if (this.factory == null) {
			return;
		}
		List<ThreadLocalAccessor<?>> accessors = this.registry.getThreadLocalAccessors();
		for (int i = accessors.size() - 1; i >= 0; i--) {
			ThreadLocalAccessor<?> accessor = accessors.get(i);
			if (!this.keys.test(accessor.key())) {
				continue;
			}
			// restore() undoes one level: an Observation scope left open sits on the
			// scope the capture opened, so repeat until nothing is left.
			for (int pass = 0; pass < MAX_RESTORES && accessor.getValue() != null; pass++) {
				accessor.restore();
			}
		}
	}

	/**
	 * A view of a registry in which one thread-local accessor restores copies of its
	 * values. It follows the registry's accessors as they are registered and removed.
	 */
	private static final class CopyingRegistry extends ContextRegistry {

		private final ContextRegistry delegate;

		private final Object key;

		private final UnaryOperator<Object> copy;

		private volatile List<ThreadLocalAccessor<?>> source = List.of();

		private volatile List<ThreadLocalAccessor<?>> accessors = List.of();

		CopyingRegistry(ContextRegistry delegate, Object key, UnaryOperator<Object> copy) {
			this.delegate = delegate;
			this.key = key;
			this.copy = copy;
		}

		@Override
		public List<ThreadLocalAccessor<?>> getThreadLocalAccessors() {
			List<ThreadLocalAccessor<?>> current = this.delegate.getThreadLocalAccessors();
			if (!sameElements(current, this.source)) {
				List<ThreadLocalAccessor<?>> copies = new ArrayList<>(current.size());
				for (ThreadLocalAccessor<?> accessor : current) {
					copies.add(this.key.equals(accessor.key()) ? copyingAccessor(accessor, this.copy) : accessor);
				}
				this.accessors = List.copyOf(copies);
				this.source = List.copyOf(current);
			}
			return this.accessors;
		}

		private static boolean sameElements(List<ThreadLocalAccessor<?>> current, List<ThreadLocalAccessor<?>> seen) {
			if (current.size() != seen.size()) {
				return false;
			}
			for (int i = 0; i < current.size(); i++) {
				if (current.get(i) != seen.get(i)) {
					return false;
				}
			}
			return true;
		}

		@SuppressWarnings("unchecked")
		private static <V> ThreadLocalAccessor<V> copyingAccessor(ThreadLocalAccessor<V> accessor,
				UnaryOperator<Object> copy) {
			return new ThreadLocalAccessor<>() {

				@Override
				public Object key() {
					return accessor.key();
				}

				@Override
				public @Nullable V getValue() {
					return accessor.getValue();
				}

				@Override
				public void setValue(V value) {
					accessor.setValue((V) copy.apply(value));
				}

				@Override
				public void setValue() {
					accessor.setValue();
				}

				@Override
				public void restore(V previousValue) {
					// The thread's own value comes back as it was, not as a copy.
					accessor.restore(previousValue);
				}

				@Override
				public void restore() {
					accessor.restore();
				}

			};
		}

		@Override
		public List<ContextAccessor<?, ?>> getContextAccessors() {
			return this.delegate.getContextAccessors();
		}

		@Override
		public ContextAccessor<?, ?> getContextAccessorForRead(Object contextObject) {
			return this.delegate.getContextAccessorForRead(contextObject);
		}

		@Override
		public ContextAccessor<?, ?> getContextAccessorForWrite(Object contextObject) {
			return this.delegate.getContextAccessorForWrite(contextObject);
		}

		@Override
		public ContextRegistry registerContextAccessor(ContextAccessor<?, ?> accessor) {
			this.delegate.registerContextAccessor(accessor);
			return this;
		}

		@Override
		public ContextRegistry registerThreadLocalAccessor(ThreadLocalAccessor<?> accessor) {
			this.delegate.registerThreadLocalAccessor(accessor);
			return this;
		}

	}

}
