/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Turns on Bridge's test support in a Spring Boot test ({@code @SpringBootTest} or a test
 * slice that includes Bridge's auto-configuration):
 * <ul>
 * <li>a {@link BridgeRecorder} bean records the application's {@code Offloader} and
 * {@code LoopRunner} beans (and so every {@code @OffloadBlocking} and {@code @RunOnLoop}
 * call and every {@code bridgeTaskExecutor} task), for
 * {@link BridgeTest#awaitQuiescence()} and {@link BridgeAssertions#assertThatBridge()};
 * <li>before each test method the recorded calls are cleared, so assertions see that
 * test's calls only;
 * <li>after each test method, unless turned off, the test waits for quiescence and fails
 * with a {@link QuiescenceTimeoutError} naming what still runs, so no test leaves work
 * behind for the next;
 * <li>with {@link #virtualTime()}, Bridge's timeouts run on a {@link VirtualClock};
 * <li>with {@link #deterministic()}, offloaded calls run when the test steps a
 * {@link SteppedExecutor}.
 * </ul>
 * Each combination of attribute values is its own application context in Spring's test
 * context cache; contexts the cache pauses and restarts keep their recorder.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration(BridgeTestAutoConfiguration.class)
@PropertyMapping("bridge-test")
public @interface AutoConfigureBridgeTest {

	/**
	 * Whether to wait for quiescence after each test method and fail the test when work
	 * is still in flight after {@link #quiescenceTimeout()}.
	 * @return {@code true} by default
	 */
	@PropertyMapping("quiescence.after-each-test")
	boolean awaitQuiescenceAfterEachTest() default true;

	/**
	 * How long the wait after each test method may take, as a duration such as
	 * {@code "10s"} or {@code "500ms"}.
	 * @return {@code "10s"} by default
	 */
	@PropertyMapping("quiescence.timeout")
	String quiescenceTimeout() default "10s";

	/**
	 * Whether Bridge's timeouts run on a {@link VirtualClock} bean that the test advances
	 * instead of in real time (see {@link VirtualClock} for what it covers). Needs
	 * {@code reactor-test} on the test class path.
	 * @return {@code false} by default
	 */
	@PropertyMapping("virtual-time")
	boolean virtualTime() default false;

	/**
	 * Whether offloaded calls wait until the test runs them, one at a time and in the
	 * order they were submitted, on the test's thread, through the
	 * {@link SteppedExecutor} bean (see there for what changes). The loop is not
	 * affected.
	 * @return {@code false} by default
	 */
	@PropertyMapping("deterministic")
	boolean deterministic() default false;

}
