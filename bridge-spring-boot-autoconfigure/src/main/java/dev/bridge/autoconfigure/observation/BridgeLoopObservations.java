/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.observation;

import dev.bridge.loop.LoopRunner;
import io.micrometer.common.KeyValues;
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
final class BridgeLoopObservations extends BridgeObservations implements LoopRunner.TaskObserver {

	static final String NAME = "bridge.loop.call";

	static final Observation.Event STARTED = Observation.Event.of("bridge.loop.call.started",
			"the work started on the loop");

	BridgeLoopObservations(ObservationRegistry registry) {
		super(registry, NAME, STARTED);
	}

	@Override
	public @Nullable Object submitted(String task) {
		return start("loop " + task, KeyValues.of("method", task));
	}

	@Override
	public @Nullable AutoCloseable started(@Nullable Object state) {
		return open(state);
	}

	@Override
	public void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error) {
		stop(state, outcome, error);
	}

	@Override
	public void finished(String outcome, long ranNanos) {
	}

}
