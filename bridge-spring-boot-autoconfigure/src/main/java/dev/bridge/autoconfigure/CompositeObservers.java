/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;

/**
 * Several observers of loop work ({@link LoopRunner.TaskObserver}) or of offloaded calls
 * ({@link Offloader.CallObserver}) as one, such as Bridge's timers and its observations:
 * each keeps its own state, and the scopes they open are closed in reverse order.
 *
 * @param <O> the observer type
 */
final class CompositeObservers<O> {

	private final List<O> observers;

	private CompositeObservers(List<O> observers) {
		this.observers = List.copyOf(observers);
	}

	static LoopRunner.TaskObserver ofLoopTasks(List<LoopRunner.TaskObserver> observers) {
		CompositeObservers<LoopRunner.TaskObserver> all = new CompositeObservers<>(observers);
		return new LoopRunner.TaskObserver() {

			@Override
			public Object submitted(String task) {
				return all.submitted((observer) -> observer.submitted(task));
			}

			@Override
			public @Nullable AutoCloseable started(@Nullable Object state) {
				return all.started(state, LoopRunner.TaskObserver::started);
			}

			@Override
			public void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error) {
				all.finished(state, (observer, own) -> observer.finished(own, outcome, ranNanos, error));
			}

			@Override
			public void finished(String outcome, long ranNanos) {
				all.observers.forEach((observer) -> observer.finished(outcome, ranNanos));
			}

		};
	}

	static Offloader.CallObserver ofOffloadCalls(List<Offloader.CallObserver> observers) {
		CompositeObservers<Offloader.CallObserver> all = new CompositeObservers<>(observers);
		return new Offloader.CallObserver() {

			@Override
			public Object submitted(String pool, String task) {
				return all.submitted((observer) -> observer.submitted(pool, task));
			}

			@Override
			public @Nullable AutoCloseable started(@Nullable Object state, long queueWaitNanos) {
				return all.started(state, (observer, own) -> observer.started(own, queueWaitNanos));
			}

			@Override
			public void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error) {
				all.finished(state, (observer, own) -> observer.finished(own, outcome, ranNanos, error));
			}

		};
	}

	/** Each observer's state, in order: the composite's state. */
	private Object submitted(Function<O, @Nullable Object> submitted) {
		@Nullable Object[] states = new Object[this.observers.size()];
		for (int i = 0; i < states.length; i++) {
			states[i] = submitted.apply(this.observers.get(i));
		}
		return states;
	}

	private @Nullable AutoCloseable started(@Nullable Object state,
			BiFunction<O, @Nullable Object, @Nullable AutoCloseable> started) {
		@Nullable Object[] states = (@Nullable Object[]) state;
		@Nullable AutoCloseable[] scopes = new AutoCloseable[this.observers.size()];
		boolean any = false;
		for (int i = 0; i < scopes.length; i++) {
			scopes[i] = started.apply(this.observers.get(i), (states != null) ? states[i] : null);
			any |= scopes[i] != null;
		}
		if (!any) {
			return null;
		}
		return () -> {
			for (int i = scopes.length - 1; i >= 0; i--) {
				AutoCloseable scope = scopes[i];
				if (scope != null) {
					scope.close();
				}
			}
		};
	}

	private void finished(@Nullable Object state, BiConsumer<O, @Nullable Object> finished) {
		@Nullable Object[] states = (@Nullable Object[]) state;
		for (int i = 0; i < this.observers.size(); i++) {
			finished.accept(this.observers.get(i), (states != null) ? states[i] : null);
		}
	}

}
