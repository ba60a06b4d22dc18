/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions that hold for every recorded call of one method. Made by
 * {@link BridgeAssert#ran(String)}.
 *
 * @since 0.1.0
 */
public final class BridgeCallsAssert extends AbstractAssert<BridgeCallsAssert, List<BridgeCall>> {

	private final String method;

	BridgeCallsAssert(String method, List<BridgeCall> calls) {
		super(calls, BridgeCallsAssert.class);
		this.method = method;
	}

	/**
	 * Verifies that every call ran on the offload pool {@code pool}.
	 * @param pool the pool name
	 * @return this
	 */
	public BridgeCallsAssert onPool(String pool) {
		return every((call) -> pool.equals(call.pool()), "to run on pool '" + pool + "'");
	}

	/**
	 * Verifies that every call ran on a loop thread.
	 * @return this
	 */
	public BridgeCallsAssert onLoop() {
		return every(BridgeCall::ranOnLoop, "to run on the loop");
	}

	/**
	 * Verifies that every call ran on a virtual thread.
	 * @return this
	 */
	public BridgeCallsAssert onVirtualThreads() {
		return every((call) -> call.threadKind() == BridgeCall.ThreadKind.VIRTUAL, "to run on virtual threads");
	}

	/**
	 * Verifies that every call ran on a platform thread other than a loop thread.
	 * @return this
	 */
	public BridgeCallsAssert onPlatformThreads() {
		return every((call) -> call.threadKind() == BridgeCall.ThreadKind.PLATFORM, "to run on platform threads");
	}

	/**
	 * Verifies that no call ran on the thread that made it.
	 * @return this
	 */
	public BridgeCallsAssert offTheCallingThread() {
		return every((call) -> !call.thread().equals(call.callerThread()), "to run off the thread that called it");
	}

	/**
	 * Verifies that every call saw {@code value} in the MDC under {@code key}.
	 * @param key the MDC key
	 * @param value the expected value
	 * @return this
	 */
	public BridgeCallsAssert withMdc(String key, String value) {
		return every((call) -> value.equals(call.mdc().get(key)), "to see MDC " + key + "=" + value);
	}

	/**
	 * Verifies that every call saw {@code value} in the thread-local registered in
	 * Micrometer's {@code ContextRegistry} under {@code key} (for Spring Security's
	 * context: {@code org.springframework.security.core.context.SecurityContext}).
	 * @param key the accessor key
	 * @param value the expected value ({@code equals})
	 * @return this
	 */
	public BridgeCallsAssert withContext(String key, Object value) {
		return every((call) -> Objects.equals(value, call.context().get(key)), "to see context " + key + "=" + value);
	}

	/**
	 * Verifies that no call saw a value in the thread-local registered under {@code key}.
	 * @param key the accessor key
	 * @return this
	 */
	public BridgeCallsAssert withoutContext(String key) {
		return every((call) -> !call.context().containsKey(key), "to see no context value under " + key);
	}

	/**
	 * Verifies how many calls of the method were recorded. That is how many times the
	 * method ran, except for a method that returns a multi-valued type ({@code Flux},
	 * {@code Publisher}, ...): each of its runs is recorded as one call for its body and
	 * one or more for the pool tasks that run its subscription (more when the subscriber
	 * asks for items again after the pool has drained them).
	 * @param times the expected count
	 * @return this
	 */
	public BridgeCallsAssert times(int times) {
		isNotNull();
		if (this.actual.size() != times) {
			failWithMessage("%s", "Expected " + this.method + " to have run " + times + " times, but it ran "
					+ this.actual.size() + " times: " + describe(this.actual));
		}
		return this;
	}

	private BridgeCallsAssert every(Predicate<BridgeCall> condition, String expectation) {
		isNotNull();
		List<BridgeCall> failing = this.actual.stream().filter(condition.negate()).toList();
		if (!failing.isEmpty()) {
			failWithMessage("%s", "Expected every call of " + this.method + " " + expectation + ", but "
					+ failing.size() + " of " + this.actual.size() + " did not: " + describe(failing));
		}
		return this;
	}

	private static String describe(List<BridgeCall> calls) {
		return calls.stream().limit(5).map(BridgeCall::describe).collect(Collectors.joining("; "))
				+ ((calls.size() > 5) ? "; ..." : "");
	}

}
