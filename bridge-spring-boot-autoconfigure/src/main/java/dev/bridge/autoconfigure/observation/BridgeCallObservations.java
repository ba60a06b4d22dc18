/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.observation;

import dev.bridge.offload.OffloadCallObserver;
import io.micrometer.common.KeyValue;
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
final class BridgeCallObservations implements OffloadCallObserver {

	static final String NAME = "bridge.offload.call";

	static final Observation.Event STARTED = Observation.Event.of("bridge.offload.call.started",
			"the body started on the pool");

	private final ObservationRegistry registry;

	BridgeCallObservations(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public @Nullable Object submitted(String pool, String task) {
		if (this.registry.isNoop()) {
			return null;
		}
		Observation observation = Observation.createNotStarted(NAME, this.registry)
			.contextualName("offload " + task)
			.lowCardinalityKeyValue(KeyValue.of("pool", pool))
			.lowCardinalityKeyValue(KeyValue.of("method", task));
		Observation parent = this.registry.getCurrentObservation();
		if (parent != null) {
			observation.parentObservation(parent);
		}
		return observation.start();
	}

	@Override
	public @Nullable AutoCloseable started(@Nullable Object state, long queueWaitNanos) {
		if (!(state instanceof Observation observation)) {
			return null;
		}
		observation.event(STARTED);
		return observation.openScope();
	}

	@Override
	public void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error) {
		if (!(state instanceof Observation observation)) {
			return;
		}
		observation.lowCardinalityKeyValue(KeyValue.of("outcome", outcome));
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

}
