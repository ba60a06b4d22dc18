/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.util.List;
import java.util.stream.Collectors;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions about the calls a {@link BridgeRecorder} recorded since it was last cleared
 * (in a Spring test: since the test method started). Made by
 * {@link BridgeAssertions#assertThatBridge()}.
 *
 * @since 0.1.0
 */
public final class BridgeAssert extends AbstractAssert<BridgeAssert, BridgeRecorder> {

	BridgeAssert(BridgeRecorder recorder) {
		super(recorder, BridgeAssert.class);
	}

	/**
	 * Verifies that {@code method} ran at least once, and narrows the assertions to its
	 * calls.
	 * @param method the task name: {@code SimpleClassName.method} for annotated methods
	 * @return assertions about every recorded call of {@code method}
	 */
	public BridgeCallsAssert ran(String method) {
		isNotNull();
		List<BridgeCall> calls = callsOf(method);
		if (calls.isEmpty()) {
			failWithMessage("%s",
					"Expected Bridge to have run " + method + ", but it did not; it ran " + recordedMethods()
							+ ". Names are SimpleClassName.method; a fire-and-forget call may not "
							+ "have started yet: await quiescence first");
		}
		return new BridgeCallsAssert(method, calls);
	}

	/**
	 * Verifies that {@code method} did not run.
	 * @param method the task name
	 * @return this
	 */
	public BridgeAssert didNotRun(String method) {
		isNotNull();
		List<BridgeCall> calls = callsOf(method);
		if (!calls.isEmpty()) {
			failWithMessage("%s", "Expected Bridge not to have run " + method + ", but it ran " + calls.size()
					+ " times: " + calls.stream().map(BridgeCall::describe).collect(Collectors.joining("; ")));
		}
		return this;
	}

	/**
	 * Verifies that nothing is in flight now (without waiting).
	 * @return this
	 */
	public BridgeAssert isQuiescent() {
		isNotNull();
		List<String> inFlight = this.actual.inFlight();
		if (!inFlight.isEmpty()) {
			failWithMessage("%s",
					"Expected no Bridge work in flight, but found:\n  - " + String.join("\n  - ", inFlight));
		}
		return this;
	}

	private List<BridgeCall> callsOf(String method) {
		return this.actual.calls().stream().filter((call) -> call.method().equals(method)).toList();
	}

	private String recordedMethods() {
		List<String> names = this.actual.calls().stream().map(BridgeCall::method).distinct().toList();
		return names.isEmpty() ? "nothing" : names.toString();
	}

}
