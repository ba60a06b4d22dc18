/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * What the loop's and the pools' observations share: an {@link Observation} started on
 * the caller's thread as a child of its current one, an event when the work starts, then
 * opened as the current observation around it, and stopped with an {@code outcome} key
 * value when it ends.
 */
abstract class BridgeObservations {

	private final ObservationRegistry registry;

	private final String name;

	private final Observation.Event started;

	BridgeObservations(ObservationRegistry registry, String name, Observation.Event started) {
		this.registry = registry;
		this.name = name;
		this.started = started;
	}

	/**
	 * Starts the work's observation, or returns {@code null} when observations are off.
	 */
	final @Nullable Object start(String contextualName, KeyValues keyValues) {
		if (this.registry.isNoop()) {
			return null;
		}
		Observation observation = Observation.createNotStarted(this.name, this.registry)
			.contextualName(contextualName)
			.lowCardinalityKeyValues(keyValues);
		Observation parent = this.registry.getCurrentObservation();
		if (parent != null) {
			observation.parentObservation(parent);
		}
		return observation.start();
	}

	final @Nullable AutoCloseable open(@Nullable Object state) {
		if (!(state instanceof Observation observation)) {
			return null;
		}
		observation.event(this.started);
		return observation.openScope();
	}

	final void stop(@Nullable Object state, String outcome, @Nullable Throwable error) {
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
