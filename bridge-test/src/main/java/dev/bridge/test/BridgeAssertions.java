/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

/**
 * Entry points of the AssertJ assertions about where Bridge ran calls:
 *
 * <pre class="code">
 * assertThatBridge().ran("OrderRepository.findById").onPool("jdbc").onVirtualThreads();
 * assertThatBridge().ran("ReportBoard.publish").onLoop().withMdc("job", "nightly");
 * assertThatBridge().didNotRun("OrderRepository.delete");
 * </pre>
 *
 * A call is recorded when its body starts; for fire-and-forget calls, await quiescence
 * first ({@link BridgeTest#awaitQuiescence()}).
 *
 * @since 0.1.0
 */
public final class BridgeAssertions {

	private BridgeAssertions() {
	}

	/**
	 * Assertions about the calls of the running Spring test's application (see
	 * {@link BridgeTest#recorder()}).
	 * @return the assertions
	 */
	public static BridgeAssert assertThatBridge() {
		return new BridgeAssert(BridgeTest.recorder());
	}

	/**
	 * Assertions about the calls {@code recorder} recorded.
	 * @param recorder the recorder
	 * @return the assertions
	 */
	public static BridgeAssert assertThat(BridgeRecorder recorder) {
		return new BridgeAssert(recorder);
	}

}
