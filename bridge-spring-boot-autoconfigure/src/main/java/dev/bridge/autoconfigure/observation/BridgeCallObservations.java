/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.observation;

import dev.bridge.offload.Offloader;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes each offloaded call an {@link Observation} named {@code bridge.offload.call}:
 * started on the caller's thread when the call is admitted, as a child of the caller's
 * current observation; an event {@code bridge.offload.call.started} when its body starts
 * (the time before it is the queue wait); opened as the current observation around the
 * body on the pool's thread, so observations the body makes are its children; stopped
 * when the call ends. Low-cardinality key values: {@code pool}, {@code method} (the
 * annotated method, or the {@code Offloader} method for direct calls) and {@code outcome}
 * ({@code success}, {@code error}, {@code cancelled}, {@code rejected}); the contextual
 * name (a span's name) is {@code offload <method>}.
 */
final class BridgeCallObservations extends BridgeObservations implements Offloader.CallObserver {

	static final String NAME = "bridge.offload.call";

	static final Observation.Event STARTED = Observation.Event.of("bridge.offload.call.started",
			"the body started on the pool");

	BridgeCallObservations(ObservationRegistry registry) {
		super(registry, NAME, STARTED);
	}

	@Override
	public @Nullable Object submitted(String pool, String task) {
		return start("offload " + task, KeyValues.of("pool", pool, "method", task));
	}

	@Override
	public @Nullable AutoCloseable started(@Nullable Object state, long queueWaitNanos) {
		return open(state);
	}

	@Override
	public void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error) {
		stop(state, outcome, error);
	}

}
