/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Static access to the {@link BridgeRecorder} of the Spring test that is running, for
 * code that has no recorder injected:
 *
 * <pre class="code">
 * orders.audit(order);               // a void &#64;OffloadBlocking method: fire and forget
 * BridgeTest.awaitQuiescence();       // returns once it has finished
 * </pre>
 *
 * The recorder is the one of the application context of the test method that is running
 * (set by {@link BridgeTestExecutionListener} before each test method of a test class
 * with {@link AutoConfigureBridgeTest @AutoConfigureBridgeTest}). Tests that run in
 * parallel in one JVM should inject the {@link BridgeRecorder} bean instead, and those
 * that share an application context share its recorder: each one sees the others' calls,
 * clears them when it starts and waits for their work when it ends. Run the tests of one
 * context in the same thread ({@code @Execution(SAME_THREAD)}) when they assert on
 * recorded calls.
 *
 * @since 0.1.0
 */
public final class BridgeTest {

	private static volatile @Nullable BridgeRecorder current;

	private BridgeTest() {
	}

	/**
	 * The recorder of the running test's application context.
	 * @return the recorder
	 * @throws IllegalStateException outside a test method of a Spring test class with
	 * {@code @AutoConfigureBridgeTest}
	 */
	public static BridgeRecorder recorder() {
		BridgeRecorder recorder = current;
		if (recorder == null) {
			throw new IllegalStateException("No Bridge recorder is active: BridgeTest works inside the test methods "
					+ "of a Spring test class annotated with @AutoConfigureBridgeTest. Without Spring, create a "
					+ "BridgeRecorder and record(..) your Offloader and LoopRunner with it");
		}
		return recorder;
	}

	/**
	 * Waits up to {@link BridgeRecorder#DEFAULT_TIMEOUT} until the running test's
	 * application has no Bridge work in flight.
	 * @throws QuiescenceTimeoutError naming what is still in flight
	 * @see BridgeRecorder#awaitQuiescence()
	 */
	public static void awaitQuiescence() {
		recorder().awaitQuiescence();
	}

	/**
	 * Waits up to {@code timeout} until the running test's application has no Bridge work
	 * in flight.
	 * @param timeout how long to wait at most
	 * @throws QuiescenceTimeoutError naming what is still in flight
	 * @see BridgeRecorder#awaitQuiescence(Duration)
	 */
	public static void awaitQuiescence(Duration timeout) {
		recorder().awaitQuiescence(timeout);
	}

	static void activate(@Nullable BridgeRecorder recorder) {
		current = recorder;
	}

	static @Nullable BridgeRecorder active() {
		return current;
	}

}
