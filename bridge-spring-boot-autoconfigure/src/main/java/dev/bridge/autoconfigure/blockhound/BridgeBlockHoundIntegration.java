/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.blockhound;

import dev.bridge.loop.LoopRunner;
import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Registers Bridge's loop threads with BlockHound as non-blocking, so that a blocking
 * call made by work running on the loop fails with BlockHound's
 * {@code BlockingOperationError} instead of silently stalling the loop. The loop's own
 * idle strategy between tasks (spin, yield, park) is allowed; the tasks it runs are not.
 * Loaded by BlockHound through {@code META-INF/services} when
 * {@code BlockHound.install()} runs; on JDK 13+ the JVM needs
 * {@code -XX:+AllowRedefinitionToAddDeleteMethods}.
 *
 * @since 0.1.0
 */
public final class BridgeBlockHoundIntegration implements BlockHoundIntegration {

	private static final String LOOP_EXECUTOR = "dev.bridge.loop.LoopExecutor";

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.nonBlockingThreadPredicate(
				(current) -> current.or((thread) -> thread == Thread.currentThread() && LoopRunner.current() != null));
		builder.allowBlockingCallsInside(LOOP_EXECUTOR, "loop");
		builder.disallowBlockingCallsInside(LOOP_EXECUTOR, "runTask");
	}

}
