/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.util.List;

import dev.bridge.loop.LoopTaskObserver;
import org.jspecify.annotations.Nullable;

/**
 * Several {@link LoopTaskObserver}s as one (Bridge's timers and its observations): each
 * keeps its own state, and the scopes they open are closed in reverse order.
 */
final class LoopTaskObservers implements LoopTaskObserver {

	private final LoopTaskObserver[] observers;

	LoopTaskObservers(List<LoopTaskObserver> observers) {
		this.observers = observers.toArray(new LoopTaskObserver[0]);
	}

	@Override
	public Object submitted(String task) {
		@Nullable Object[] states = new Object[this.observers.length];
		for (int i = 0; i < this.observers.length; i++) {
			states[i] = this.observers[i].submitted(task);
		}
		return states;
	}

	@Override
	public @Nullable AutoCloseable started(@Nullable Object state) {
		@Nullable Object[] states = (@Nullable Object[]) state;
		AutoCloseable[] scopes = new AutoCloseable[this.observers.length];
		boolean any = false;
		for (int i = 0; i < this.observers.length; i++) {
			scopes[i] = this.observers[i].started((states != null) ? states[i] : null);
			any |= scopes[i] != null;
		}
		if (!any) {
			return null;
		}
		return () -> {
			for (int i = scopes.length - 1; i >= 0; i--) {
				if (scopes[i] != null) {
					scopes[i].close();
				}
			}
		};
	}

	@Override
	public void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error) {
		@Nullable Object[] states = (@Nullable Object[]) state;
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].finished((states != null) ? states[i] : null, outcome, ranNanos, error);
		}
	}

	@Override
	public void finished(String outcome, long ranNanos) {
		for (LoopTaskObserver observer : this.observers) {
			observer.finished(outcome, ranNanos);
		}
	}

}
