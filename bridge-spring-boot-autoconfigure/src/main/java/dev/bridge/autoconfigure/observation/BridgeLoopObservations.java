/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.observation;

import dev.bridge.loop.LoopTaskObserver;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes each piece of work run through the loop runner (its {@code run}, {@code call}
 * from off the loop, {@code submit} and {@code stream}, and so {@code @RunOnLoop}
 * methods) an {@link Observation} named {@code bridge.loop.call}: started on the caller's
 * thread when the work is handed to the loop, as a child of the caller's current
 * observation; an event {@code bridge.loop.call.started} when the work starts on the loop
 * (the time before it is the wait for the loop); opened as the current observation on the
 * loop while the work starts there (the callable's body, or the subscription to the Mono
 * or Publisher); stopped when the work ends. Low-cardinality key values: {@code method}
 * (the annotated method, or the {@code LoopRunner} method for direct calls) and
 * {@code outcome} ({@code success}, {@code error}, {@code cancelled}, {@code rejected});
 * the contextual name (a span's name) is {@code loop <method>}.
 */
final class BridgeLoopObservations implements LoopTaskObserver {

	static final String NAME = "bridge.loop.call";

	static final Observation.Event STARTED = Observation.Event.of("bridge.loop.call.started",
			"the work started on the loop");

	private final ObservationRegistry registry;

	BridgeLoopObservations(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public @Nullable Object submitted(String task) {
		if (this.registry.isNoop()) {
			return null;
		}
		Observation observation = Observation.createNotStarted(NAME, this.registry)
			.contextualName("loop " + task)
			.lowCardinalityKeyValue(KeyValue.of("method", task));
		Observation parent = this.registry.getCurrentObservation();
		if (parent != null) {
			observation.parentObservation(parent);
		}
		return observation.start();
	}

	@Override
	public @Nullable AutoCloseable started(@Nullable Object state) {
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

	@Override
	public void finished(String outcome, long ranNanos) {
	}

}
