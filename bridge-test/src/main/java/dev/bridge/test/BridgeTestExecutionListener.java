/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Drives a test's {@link BridgeRecorder} around each test method, when the test's
 * application context has one ({@link AutoConfigureBridgeTest @AutoConfigureBridgeTest}):
 * before the method it clears the recorded calls and makes the recorder the one
 * {@link BridgeTest} uses; after it, it waits for quiescence (unless
 * {@code bridge-test.quiescence.after-each-test} is {@code false}) and fails the test
 * when work is still in flight. Does nothing for other tests. Registered through
 * {@code META-INF/spring.factories}.
 *
 * @since 0.1.0
 */
public class BridgeTestExecutionListener extends AbstractTestExecutionListener {

	/** The property that turns the wait after each test method off. */
	static final String AFTER_EACH = "bridge-test.quiescence.after-each-test";

	/** The property that bounds the wait after each test method. */
	static final String TIMEOUT = "bridge-test.quiescence.timeout";

	/**
	 * After Spring's own listeners, Mockito's reset listener
	 * ({@code Ordered.LOWEST_PRECEDENCE - 100}) included. The after-test callbacks run in
	 * reverse order, so the wait after each test method happens before Spring resets the
	 * test's mocks and rolls its transaction back: work still running can use both until
	 * it ends.
	 * @return the order
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 50;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		BridgeRecorder recorder = recorder(testContext.getApplicationContext());
		if (recorder != null) {
			recorder.clear();
		}
		BridgeTest.activate(recorder);
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		try {
			if (!testContext.hasApplicationContext()) {
				return;
			}
			ApplicationContext context = testContext.getApplicationContext();
			BridgeRecorder recorder = recorder(context);
			Environment environment = context.getEnvironment();
			if (recorder != null && environment.getProperty(AFTER_EACH, Boolean.class, false)) {
				String timeout = environment.getProperty(TIMEOUT);
				Duration budget = (timeout != null) ? DurationStyle.detectAndParse(timeout)
						: BridgeRecorder.DEFAULT_TIMEOUT;
				try {
					recorder.awaitQuiescence(budget);
				}
				catch (QuiescenceTimeoutError ex) {
					QuiescenceTimeoutError named = new QuiescenceTimeoutError(
							"After test " + testContext.getTestClass().getSimpleName() + "."
									+ testContext.getTestMethod().getName() + "(): " + ex.getMessage()
									+ " To let a test leave work running, set @AutoConfigureBridgeTest("
									+ "awaitQuiescenceAfterEachTest = false).");
					named.setStackTrace(ex.getStackTrace());
					throw named;
				}
			}
		}
		finally {
			BridgeTest.activate(null);
		}
	}

	private static @Nullable BridgeRecorder recorder(ApplicationContext context) {
		return context.getBeanProvider(BridgeRecorder.class).getIfUnique();
	}

}
